package dev.castle.model;

import java.util.Optional;

/**
 * How the system reaches its clusters by GitOps, defaults resolved: the Git repository that holds
 * castle's output (and the revision and folder in it), optionally a published chart, and the Argo CD
 * and Flux settings. castle writes an Argo CD Application per environment (and one ApplicationSet),
 * and a Flux HelmRelease with its source and a Flux Kustomization of the Kustomize overlays per
 * environment.
 */
public record GitOps(Optional<String> repository, String revision, String path, Optional<Chart> chart, ArgoCd argocd, Flux flux,
                     Declared declared) {
    public static final String DEFAULT_REVISION = "main";
    public static final String DEFAULT_PATH = "charts-out";

    /** A published chart: {@code oci://registry/path} or an {@code https://} chart repository, and the version to install. */
    public record Chart(String repository, String version) {
        public boolean oci() {
            return repository.startsWith("oci://");
        }
    }

    /** What Argo CD renders: the Helm chart with the environment's values file, or the environment's Kustomize overlay. */
    public enum ArgoSource { helm, kustomize }

    /** Argo CD: where Applications live, their project, the destination cluster, the source, and automated sync. */
    public record ArgoCd(String namespace, String project, String server, ArgoSource source, boolean automated) {
    }

    /** Flux: where its objects live and how often they reconcile. */
    public record Flux(String namespace, String interval) {
    }

    /** How a Git revision is given to Flux: a commit (40 hex digits), a full reference name ({@code refs/...}), else a branch. */
    public enum RevisionKind { commit, name, branch }

    public RevisionKind revisionKind() {
        if (revision.matches("[0-9a-f]{40}")) {
            return RevisionKind.commit;
        }
        return revision.startsWith("refs/") ? RevisionKind.name : RevisionKind.branch;
    }

    /** The same settings with the repository and revision the command line gives. */
    public GitOps with(Optional<String> newRepository, Optional<String> newRevision) {
        return new GitOps(newRepository.or(() -> repository), newRevision.orElse(revision), path, chart, argocd, flux, declared);
    }
}
