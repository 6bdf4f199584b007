package dev.castle.cli;

import java.util.Optional;
import java.util.regex.Pattern;

import dev.castle.model.GitOpsBinder;
import dev.castle.model.SystemModel;

/**
 * {@code --gitops-repository} and {@code --gitops-revision}: checked as the descriptor's
 * {@code gitops.repository} and {@code gitops.revision} are (the same patterns as the schema), then
 * laid over the checked model. A system named like castle's GitOps folder is refused here too, for
 * when only the command line asks for the manifests.
 */
final class GitOpsOptions {
    static final Pattern REPOSITORY = Pattern.compile("^(https?://|ssh://|git@)[^\\s{}]+$");
    static final Pattern REVISION = Pattern.compile("^[^\\s{}]{1,255}$");

    private GitOpsOptions() {
    }

    static void check(String repository, String revision) {
        if (repository != null && !REPOSITORY.matcher(repository).matches()) {
            throw new ExitCodes.UserError("--gitops-repository " + repository + " is not a Git repository URL"
                    + " (https://..., ssh://... or git@host:path, without spaces or braces)");
        }
        if (revision != null && !REVISION.matcher(revision).matches()) {
            throw new ExitCodes.UserError("--gitops-revision " + revision + " is not a branch, reference or commit"
                    + " (at most 255 characters, without spaces or braces)");
        }
    }

    static SystemModel apply(SystemModel model, String repository, String revision) {
        SystemModel applied = GitOpsBinder.withCommandLine(model, Optional.ofNullable(repository), Optional.ofNullable(revision));
        if (applied.gitops().isPresent() && applied.metadata().name().equals("gitops")) {
            throw new ExitCodes.UserError("a system named 'gitops' would put its chart where castle writes the GitOps manifests"
                    + " (gitops/<system>/): rename the system");
        }
        if (applied.gitops().filter(g -> g.repository().isEmpty() && g.chart().isEmpty()).isPresent()) {
            throw new ExitCodes.UserError("--gitops-revision needs the Git repository: --gitops-repository URL, or gitops.repository in the descriptor");
        }
        return applied;
    }
}
