package dev.castle.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.castle.kustomize.HelmEngine;
import dev.castle.scaffold.StarterDescriptor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = {"A resident castle for this folder, for commands run on every save (an editor, a pre-commit hook).",
                "While it runs, ./castle hands it validate, generate, diff, graph and schema run here: they skip the JVM's start and run warm.",
                "Everything else, and everything when it does not answer or with CASTLE_DAEMON=off, runs as before.",
                "CASTLE_DAEMON=auto starts one when none serves the folder.",
                "It stops after its idle time, when castle is rebuilt, or with castle daemon stop."},
        subcommands = {DaemonCommand.Start.class, DaemonCommand.Stop.class, DaemonCommand.Status.class, DaemonCommand.Run.class})
final class DaemonCommand implements Runnable {
    /** How long a daemon may wait for a connection to answer before the caller counts it gone. */
    private static final int ANSWER_MILLIS = 2_000;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: castle daemon start, stop or status");
    }

    /** The daemon of this folder that answers, if one does. */
    private static Optional<Daemon.State> answering(Path stateFile) {
        Optional<Daemon.State> state = Daemon.State.read(stateFile);
        return state.filter(s -> s.connect(ANSWER_MILLIS).map(client -> {
            client.close();
            return true;
        }).orElse(false));
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Starts the daemon of this folder (none if one runs) and returns once it is warm.")
    static final class Start implements Callable<Integer> {
        @Option(names = "--idle-minutes", paramLabel = "N", defaultValue = "60",
                description = "Stop after N minutes without a command (default: ${DEFAULT-VALUE}).")
        int idleMinutes;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException, InterruptedException {
            if (idleMinutes < 1) {
                throw new ExitCodes.UserError("--idle-minutes " + idleMinutes + ": at least 1");
            }
            Path stateDir = Daemon.stateDir();
            String dir = Daemon.clientDir();
            if (dir.contains("\n")) {
                throw new ExitCodes.UserError("a daemon cannot serve a folder whose name has a line break: " + dir);
            }
            Path stateFile = Daemon.stateFile(stateDir, dir);
            PrintWriter out = spec.commandLine().getOut();
            Optional<Daemon.State> running = answering(stateFile);
            if (running.isPresent()) {
                out.println("castle daemon: already serving " + dir + " (pid " + running.get().pid() + ")");
                return ExitCodes.OK;
            }
            Daemon.createStateDir(stateDir);
            Path log = Daemon.logFile(stateDir, dir);
            Process process = new ProcessBuilder(command(idleMinutes))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(log.toFile())
                    .redirectErrorStream(true)
                    .start();
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline) {
                Optional<Daemon.State> state = Daemon.State.read(stateFile).filter(s -> s.pid() == process.pid());
                if (state.isPresent()) {
                    out.println("castle daemon: serving " + dir + " (pid " + process.pid() + "; it stops after " + idleMinutes
                            + " idle minutes, when castle is rebuilt, or with castle daemon stop)");
                    return ExitCodes.OK;
                }
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(20);
            }
            process.destroy();
            String said = Files.exists(log) ? Files.readString(log).strip() : "";
            throw new ExitCodes.UserError("the daemon did not start" + (said.isEmpty() ? "" : ": " + said.lines().reduce((a, b) -> b).orElse(""))
                    + " (its log: " + log + ")");
        }

        /**
         * The daemon's command: this JVM's java, class path and options, but with both of its compilers
         * (a long-lived process gains what the launcher's one-compiler start-up flags give up), under
         * nohup where there is one, so that closing the terminal leaves it running.
         */
        private static List<String> command(int idleMinutes) {
            List<String> command = new ArrayList<>();
            for (String nohup : List.of("/usr/bin/nohup", "/bin/nohup")) {
                if (Files.isExecutable(Path.of(nohup))) {
                    command.add(nohup);
                    break;
                }
            }
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (!option.startsWith("-XX:TieredStopAtLevel=") && !option.startsWith("-XX:CICompilerCount=")) {
                    command.add(option);
                }
            }
            // the jar as -jar where castle runs from one, so that its manifest applies (native access for Helm's engine)
            String classPath = System.getProperty("java.class.path");
            boolean jar = classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator);
            command.addAll(jar ? List.of("-jar", classPath) : List.of("-cp", classPath, Main.class.getName()));
            command.addAll(List.of("daemon", "run", "--idle-minutes", String.valueOf(idleMinutes)));
            return command;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stops the daemon of this folder, if one runs.")
    static final class Stop implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            String dir = Daemon.clientDir();
            Path stateFile = Daemon.stateFile(Daemon.stateDir(), dir);
            PrintWriter out = spec.commandLine().getOut();
            Optional<Daemon.State> state = Daemon.State.read(stateFile);
            Optional<Daemon.Client> client = state.flatMap(s -> s.connect(ANSWER_MILLIS));
            if (client.isEmpty()) {
                Files.deleteIfExists(stateFile); // a daemon killed without a chance to remove it
                out.println("castle daemon: none serving " + dir);
                return ExitCodes.OK;
            }
            try (Daemon.Client daemon = client.get()) {
                daemon.send(Daemon.GREETING, state.get().token(), "stop");
                daemon.line();
            }
            Optional<ProcessHandle> process = ProcessHandle.of(state.get().pid());
            try {
                if (process.isPresent()) {
                    process.get().onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (java.util.concurrent.TimeoutException busy) {
                // it finishes the command it runs first (a generate of a large system)
                out.println("castle daemon: stopping (pid " + state.get().pid() + ") once the command it runs ends");
                return ExitCodes.OK;
            }
            out.println("castle daemon: stopped (pid " + state.get().pid() + ")");
            return ExitCodes.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Says whether a daemon serves this folder.")
    static final class Status implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            String dir = Daemon.clientDir();
            Optional<Daemon.State> state = answering(Daemon.stateFile(Daemon.stateDir(), dir));
            spec.commandLine().getOut().println(state.map(s -> "castle daemon: serving " + dir + " (pid " + s.pid() + ")")
                    .orElse("castle daemon: none serving " + dir));
            return ExitCodes.OK;
        }
    }

    /** The daemon itself, which castle daemon start runs in the background. */
    @Command(name = "run", hidden = true)
    static final class Run implements Callable<Integer> {
        @Option(names = "--idle-minutes", defaultValue = "60")
        int idleMinutes;

        @Override
        public Integer call() throws IOException {
            Daemon daemon = new Daemon(Daemon.stateDir(), Daemon.clientDir(), Duration.ofMinutes(idleMinutes));
            warmUp();
            // after the warm-up, whose renders nobody asks again; 64 M characters: the shop's renders over a hundred times
            HelmEngine.keepRenders(64L << 20);
            daemon.serve();
            return ExitCodes.OK;
        }

        /**
         * Runs the commands a daemon serves on the descriptor castle init writes, until the code they
         * share is compiled (about 3 s), so that the first command the user runs is as fast as the rest.
         */
        private static void warmUp() throws IOException {
            Path scratch = Files.createTempDirectory("castle-daemon-");
            try {
                Path descriptor = scratch.resolve("castle.yaml");
                Files.writeString(descriptor, StarterDescriptor.text("warm", List.of("web", "api", "worker"),
                        List.of("postgresql", "redis", "rabbitmq"), "castle.schema.json"));
                PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
                String out = scratch.resolve("out").toString();
                long deadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
                for (int round = 0; round < 40 && System.nanoTime() < deadline; round++) {
                    CastleCommand.execute(new String[] {"validate", descriptor.toString()}, nowhere, nowhere);
                    CastleCommand.execute(round % 8 == 0 ? new String[] {"generate", descriptor.toString(), "-o", out}
                            : new String[] {"generate", "--no-kustomize", descriptor.toString(), "-o", out}, nowhere, nowhere);
                }
            } finally {
                try (var walk = Files.walk(scratch)) {
                    for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(path);
                    }
                }
            }
        }
    }
}
