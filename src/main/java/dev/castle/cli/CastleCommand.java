package dev.castle.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "castle", mixinStandardHelpOptions = true, versionProvider = CastleCommand.Version.class,
        description = "Turns one YAML descriptor of a microservice system into Helm charts.",
        subcommands = {InitCommand.class, ImportCommand.class, ValidateCommand.class, GenerateCommand.class, DiffCommand.class,
                GraphCommand.class, SchemaCommand.class, PackageCommand.class, PublishCommand.class, CompletionCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit status: 0 success, 2 invalid input or usage, 1 internal error."})
public final class CastleCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: init, import, validate, generate, diff, graph, schema, package, publish or completion");
    }

    /** Runs castle with the given arguments and returns its exit status (the testable entry point). */
    public static int execute(String[] args) {
        return execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        ExitCodes codes = new ExitCodes();
        CommandLine cli = new CommandLine(new CastleCommand())
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler(codes)
                .setParameterExceptionHandler(codes)
                .setCaseInsensitiveEnumValuesAllowed(true);
        return cli.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = CastleCommand.class.getResourceAsStream("/dev/castle/version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return new String[] {"castle " + properties.getProperty("version", "unknown")
                    + " (descriptor castle/v1alpha1)"};
        }
    }
}
