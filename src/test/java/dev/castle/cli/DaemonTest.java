package dev.castle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon in this JVM, asked over its socket as the launcher asks it: what it runs reads exactly
 * as a run of castle's own (standard output, standard error, exit status), it sends back what it
 * does not serve, and it answers nothing without its token. The launcher's side, in bash, is
 * LauncherTest's.
 */
class DaemonTest {
    private static final String HERE = System.getProperty("user.dir");

    @TempDir
    Path states;

    private Daemon daemon;
    private Thread serving;
    private Daemon.State state;

    @BeforeEach
    void start() throws Exception {
        daemon = new Daemon(states, HERE, Duration.ofMinutes(5));
        serving = new Thread(() -> {
            try {
                daemon.serve();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        serving.start();
        Path file = Daemon.stateFile(states, HERE);
        for (int i = 0; i < 500 && !Files.exists(file); i++) {
            Thread.sleep(10);
        }
        state = Daemon.State.read(file).orElseThrow();
    }

    @AfterEach
    void stop() throws InterruptedException {
        daemon.stop();
        serving.join(10_000);
    }

    /** What a command printed and returned, through the daemon or in this JVM. */
    record Run(String stdout, String stderr, Integer status, boolean sentBack) {
        static Run here(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int status = CastleCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
            return new Run(out.toString(), err.toString(), status, false);
        }
    }

    private Run askAs(String token, String dir, String... args) throws IOException {
        try (Daemon.Client client = state.connect(5_000).orElseThrow()) {
            client.socket().setSoTimeout(60_000);
            List<String> fields = new ArrayList<>(List.of(Daemon.GREETING, token, "run", dir, String.valueOf(args.length)));
            fields.addAll(List.of(args));
            try {
                client.send(fields.toArray(String[]::new));
            } catch (java.net.SocketException closed) {
                return new Run("", "", null, false); // closed before the whole request arrived: a wrong token
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            for (String line = client.line(); line != null; line = client.line()) {
                String[] frame = line.split(" ");
                int n = Integer.parseInt(frame[1]);
                switch (frame[0]) {
                    case "o", "e" -> (frame[0].equals("o") ? out : err).write(client.in().readNBytes(n));
                    case "x" -> {
                        return new Run(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), n, false);
                    }
                    case "r" -> {
                        return new Run("", "", null, true);
                    }
                    default -> throw new AssertionError("unknown frame " + line);
                }
            }
            return new Run(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), null, false);
        }
    }

    private Run ask(String... args) throws IOException {
        return askAs(state.token(), HERE, args);
    }

    @Test
    void itPublishesItsStateForItsOwnerAlone() throws IOException {
        Path file = Daemon.stateFile(states, HERE);
        assertEquals(HERE, state.dir());
        assertEquals(ProcessHandle.current().pid(), state.pid());
        assertEquals(64, state.token().length());
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
    }

    @Test
    void whatItRunsReadsAsARunOfCastlesOwn() throws IOException {
        List<String[]> commands = List.of(
                new String[] {"validate", "examples/shop/castle.yaml"},
                new String[] {"validate", "--format", "json", "examples/shop/castle.yaml"},
                new String[] {"validate", "src/test/resources/descriptors/invalid/unknown-top-level-key.yaml"},
                new String[] {"validate", "no-such-file.yaml"},
                new String[] {"graph", "examples/shop/castle.yaml", "--format", "dot"},
                new String[] {"generate", "--bogus"},
                new String[] {"--version"});
        for (String[] command : commands) {
            Run here = Run.here(command);
            assertEquals(here, ask(command), String.join(" ", command));
        }
        assertEquals(2, ask("validate", "no-such-file.yaml").status());
    }

    @Test
    void generateWritesWhereARunOfItsOwnWould(@TempDir Path out) throws IOException {
        Run first = ask("generate", "--no-kustomize", "examples/shop/castle.yaml", "-o", out.resolve("a").toString());
        assertEquals(0, first.status(), first::toString);
        Run here = Run.here("generate", "--no-kustomize", "examples/shop/castle.yaml", "-o", out.resolve("b").toString());
        assertEquals(here.stdout().replace(out.resolve("b").toString(), "OUT"), first.stdout().replace(out.resolve("a").toString(), "OUT"));
        assertTrue(Files.isRegularFile(out.resolve("a/shop/Chart.yaml")));
        Run again = ask("generate", "--no-kustomize", "examples/shop/castle.yaml", "-o", out.resolve("a").toString());
        assertTrue(again.stdout().contains("up to date"), again::toString);
    }

    @Test
    void itSendsBackWhatItDoesNotServe() throws IOException {
        assertTrue(ask("validate", "--help").sentBack(), "help is coloured for a terminal, in the caller's JVM");
        assertTrue(ask("init", "--name", "x").sentBack());
        assertTrue(ask("generate", "--pin-digests", "examples/shop/castle.yaml").sentBack(), "reads registry credentials from the environment");
        assertTrue(ask().sentBack());
        assertTrue(askAs(state.token(), HERE + "/src", "validate", "examples/shop/castle.yaml").sentBack(), "another folder");
    }

    @Test
    void itAnswersNothingWithoutItsToken() throws IOException {
        Run run = askAs("0".repeat(64), HERE, "validate", "examples/shop/castle.yaml");
        assertEquals(new Run("", "", null, false), run);
        assertTrue(ask("--version").stdout().startsWith("castle "), "and serves on");
    }

    @Test
    void whatItServes() {
        assertTrue(Daemon.served(new String[] {"validate", "x.yaml"}));
        assertTrue(Daemon.served(new String[] {"generate", "x.yaml", "-o", "out"}));
        assertTrue(Daemon.served(new String[] {"diff", "x.yaml"}));
        assertTrue(Daemon.served(new String[] {"schema"}));
        assertTrue(Daemon.served(new String[] {"-V"}));
        assertTrue(Daemon.served(new String[] {"validate", "--no-such-option"}), "a usage error reads the same");
        assertFalse(Daemon.served(new String[] {"generate", "x.yaml", "--pin-digests"}));
        assertFalse(Daemon.served(new String[] {"generate", "-h"}));
        assertFalse(Daemon.served(new String[] {"--help"}));
        assertFalse(Daemon.served(new String[] {"publish", "x"}));
        assertFalse(Daemon.served(new String[] {"daemon", "status"}));
    }

    @Test
    void stopRemovesItsStateAndEndsServing() throws Exception {
        try (Daemon.Client client = state.connect(5_000).orElseThrow()) {
            client.send(Daemon.GREETING, state.token(), "stop");
            assertEquals("x 0", client.line());
        }
        serving.join(10_000);
        assertFalse(serving.isAlive());
        assertFalse(Files.exists(Daemon.stateFile(states, HERE)));
        assertTrue(state.connect(1_000).isEmpty());
    }

    @Test
    void itStopsWhenItsStateFileGoes() throws Exception {
        Files.delete(Daemon.stateFile(states, HERE));
        serving.join(10_000);
        assertFalse(serving.isAlive());
        assertNull(Daemon.State.read(Daemon.stateFile(states, HERE)).orElse(null));
    }
}
