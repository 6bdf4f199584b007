package dev.castle.cli;

import java.util.concurrent.Callable;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Prints a shell completion script for castle's commands, options and option values (picocli's generator).",
                "bash: source <(castle completion bash), or save it as /etc/bash_completion.d/castle.",
                "zsh: source <(castle completion zsh) in ~/.zshrc (the script loads zsh's bash completion support)."})
final class CompletionCommand implements Callable<Integer> {
    enum Shell { bash, zsh }

    @Parameters(paramLabel = "SHELL", arity = "0..1", defaultValue = "bash", description = "bash (default) or zsh.")
    Shell shell;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        String script = AutoComplete.bash("castle", root);
        if (shell == Shell.zsh) {
            // picocli's script serves zsh through bashcompinit; make sure both are loaded first
            script = "#compdef castle\nautoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + script;
        }
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
