package dev.castle.rules;

import java.util.List;

import dev.castle.model.GitOps;
import dev.castle.model.SystemModel;

/**
 * GitOps manifests: something to deploy from (the Git repository, or a published chart), a Git
 * repository wherever Git is read (Kustomize overlays), names Argo CD and Flux accept, and an output
 * folder that does not collide with the chart's.
 */
final class GitOpsRules {
    static final int MAX_NAME = 63;
    /** castle writes the manifests to DIR/gitops/<system>/, beside the chart at DIR/<system>/. */
    static final String FOLDER = "gitops";

    static final List<Rule.OfSystem> SYSTEM = List.of(GitOpsRules::hasSomethingToDeploy, GitOpsRules::kustomizeNeedsGit,
            GitOpsRules::namesFit, GitOpsRules::folderIsFree);

    private GitOpsRules() {
    }

    static void hasSomethingToDeploy(SystemModel system, Findings out) {
        system.gitops().filter(g -> g.repository().isEmpty() && g.chart().isEmpty()).ifPresent(g ->
                out.error(g.declared().pointer(), "gitops names neither the Git repository of castle's output nor a published chart",
                        "repository: https://git.example.com/acme/deploy.git (or castle generate --gitops-repository URL), or chart: {repository: oci://registry.example.com/charts}"));
    }

    static void kustomizeNeedsGit(SystemModel system, Findings out) {
        system.gitops().filter(g -> g.repository().isEmpty() && g.argocd().source() == GitOps.ArgoSource.kustomize).ifPresent(g ->
                out.error(g.declared().at("argocd/source"), "Argo CD reads the Kustomize overlays from Git, and gitops names no repository",
                        "gitops.repository (or castle generate --gitops-repository URL), or source: helm"));
    }

    /** Applications and Flux objects are named <system>-<env>; Argo CD may put the name in a label. */
    static void namesFit(SystemModel system, Findings out) {
        system.gitops().ifPresent(g -> system.environments().forEach(environment -> {
            String name = system.metadata().name() + "-" + environment.name();
            // a namespace that is this name too is reported by NameRules.environmentNamespaceFits
            if (name.length() > MAX_NAME && !environment.namespace().equals(name)) {
                out.error(g.declared().pointer(), "the Argo CD Application and Flux objects of environment " + environment.name()
                        + " would be named '" + name + "' (" + name.length() + " characters)", "at most " + MAX_NAME
                        + " characters for <system>-<environment>: shorten the environment's name");
            }
        }));
    }

    static void folderIsFree(SystemModel system, Findings out) {
        if (system.gitops().isPresent() && system.metadata().name().equals(FOLDER)) {
            out.error("/metadata/name", "a system named '" + FOLDER + "' would put its chart where castle writes the GitOps manifests ("
                    + FOLDER + "/<system>/)", "another name");
        }
    }
}
