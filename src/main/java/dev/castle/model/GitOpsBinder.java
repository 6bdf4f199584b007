package dev.castle.model;

import java.util.Optional;

/**
 * Binds {@code gitops}: revision {@code main}, castle's output at {@code charts-out} in the
 * repository, the chart's own version when a published chart is named; Argo CD Applications in
 * {@code argocd}, project {@code default}, the cluster Argo CD runs in, the Helm source, automated
 * sync with pruning and self-healing; Flux objects in {@code flux-system}, reconciled every 10 minutes.
 */
public final class GitOpsBinder {
    static final String DEFAULT_ARGOCD_NAMESPACE = "argocd";
    static final String DEFAULT_PROJECT = "default";
    static final String IN_CLUSTER = "https://kubernetes.default.svc";
    static final String DEFAULT_FLUX_NAMESPACE = "flux-system";
    static final String DEFAULT_INTERVAL = "10m";

    private GitOpsBinder() {
    }

    static Optional<GitOps> bind(Fields doc, String chartVersion) {
        return doc.node("gitops").map(node -> bind(new Fields(node), chartVersion, DeclaredKeys.declared("/gitops", node, java.util.List.of())));
    }

    private static GitOps bind(Fields g, String chartVersion, Declared declared) {
        Optional<GitOps.Chart> chart = g.object("chart").text("repository")
                .map(repository -> new GitOps.Chart(repository, g.object("chart").text("version", chartVersion)));
        Fields a = g.object("argocd");
        Fields f = g.object("flux");
        return new GitOps(g.text("repository"), g.text("revision", GitOps.DEFAULT_REVISION), g.text("path", GitOps.DEFAULT_PATH), chart,
                new GitOps.ArgoCd(a.text("namespace", DEFAULT_ARGOCD_NAMESPACE), a.text("project", DEFAULT_PROJECT),
                        a.text("server", IN_CLUSTER), a.enumValue("source", GitOps.ArgoSource.class, GitOps.ArgoSource.helm),
                        a.bool("automated", true)),
                new GitOps.Flux(f.text("namespace", DEFAULT_FLUX_NAMESPACE), f.text("interval", DEFAULT_INTERVAL)), declared);
    }

    /**
     * The system's GitOps settings with the repository and revision of the command line, which win
     * over the descriptor's; with only the command line, every other setting takes its default.
     */
    public static SystemModel withCommandLine(SystemModel system, Optional<String> repository, Optional<String> revision) {
        if (repository.isEmpty() && revision.isEmpty()) {
            return system;
        }
        GitOps base = system.gitops().orElseGet(() -> bind(Fields.empty(), system.metadata().version(), Declared.none("/gitops")));
        return system.withGitOps(base.with(repository, revision));
    }
}
