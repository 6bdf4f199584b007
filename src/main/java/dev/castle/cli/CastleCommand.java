package dev.castle.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import dev.castle.schema.SchemaCheck;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "castle", mixinStandardHelpOptions = true, versionProvider = CastleCommand.Version.class,
        description = "Turns one YAML descriptor of a microservice system into Helm charts.",
        footer = {"", "Exit status: 0 success, 2 invalid input or usage, 1 internal error."})
public final class CastleCommand implements Runnable {
    /** The subcommands, in the order of the help. */
    static final List<Class<?>> SUBCOMMANDS = List.of(InitCommand.class, ImportCommand.class, ValidateCommand.class,
            GenerateCommand.class, DiffCommand.class, GraphCommand.class, SchemaCommand.class, PackageCommand.class,
            PublishCommand.class, DaemonCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: init, import, validate, generate, diff, graph, schema, package, publish, daemon or completion");
    }

    /** Runs castle with the given arguments and returns its exit status (the testable entry point). */
    public static int execute(String[] args) {
        return execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        List<Class<?>> subcommands = subcommandsFor(args);
        if (subcommands.size() == 1 && Diagnosing.class.isAssignableFrom(subcommands.get(0))) {
            SchemaCheck.prepare(); // on the other core while picocli parses the arguments and the descriptor loads
        }
        return commandLine(subcommands, out, err).execute(args);
    }

    /** The command line of a run with these arguments, writing to {@code out} and {@code err}. */
    static CommandLine commandLine(String[] args, PrintWriter out, PrintWriter err) {
        return commandLine(subcommandsFor(args), out, err);
    }

    private static CommandLine commandLine(List<Class<?>> subcommands, PrintWriter out, PrintWriter err) {
        ExitCodes codes = new ExitCodes();
        CommandLine cli = new CommandLine(new CastleCommand());
        subcommands.forEach(cli::addSubcommand);
        return cli.setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler(codes)
                .setParameterExceptionHandler(codes)
                .setCaseInsensitiveEnumValuesAllowed(true);
    }

    /**
     * The subcommands a run needs: picocli reads every annotation of every command it is given, which
     * took a third of the time of {@code castle validate}, so a run that names its subcommand gets
     * that one only, and {@code castle --version} none. Help, completion and anything unknown (for
     * picocli's "did you mean") get them all.
     */
    static List<Class<?>> subcommandsFor(String[] args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return List.of();
        }
        if (args.length > 0 && !args[0].equals("help") && !args[0].equals("completion")) {
            for (Class<?> subcommand : SUBCOMMANDS) {
                Command command = subcommand.getAnnotation(Command.class);
                if (command.name().equals(args[0]) || Arrays.asList(command.aliases()).contains(args[0])) {
                    return List.of(subcommand);
                }
            }
        }
        return SUBCOMMANDS;
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
