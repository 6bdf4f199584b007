package dev.castle.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import picocli.CommandLine;

/**
 * castle's resident process: a JVM that stays in one working folder and runs the commands the
 * launcher hands it, so that a command run on every save (an editor, a pre-commit hook) pays neither
 * the JVM's start nor cold code: {@code castle validate} of the shop takes 15 ms in a warm JVM
 * against 350 ms in a new one. Started by {@code castle daemon start}, it serves its folder only
 * (paths resolve as in a run started there) and only commands that read nothing of the caller but
 * their arguments and files: validate, generate (but with --pin-digests, which reads registry
 * credentials from the environment), diff, graph, schema and --version; help (coloured for a
 * terminal) and every other command run in the caller's own JVM, as does everything when no daemon
 * answers.
 *
 * <p>The launcher talks to it in bash alone, over a loopback TCP connection (bash has no Unix
 * sockets): the daemon greets every connection with {@value #GREETING}; the client sends
 * NUL-terminated fields (the greeting, the token of the state file, a verb, then for {@code run} the
 * folder, the number of arguments and the arguments); the daemon answers with frames, each a line
 * {@code <kind> <n>} and for {@code o} (standard output) and {@code e} (standard error) n bytes
 * after it, ending with {@code x <exit status>}, or {@code r 0} for "run it yourself". The state
 * file, readable by its owner alone, holds the port, the token and the pid on its first line and the
 * folder on its second; a connection without the token is closed without a word. It runs one command
 * at a time, and stops after its idle time, when its jar changes (the launcher rebuilt it), when its
 * state file goes (mvn clean) or names another daemon, when its folder goes, or on
 * {@code castle daemon stop}.
 */
final class Daemon {
    static final String GREETING = "castle-daemon-1";
    /** The commands a daemon runs, by the name the caller gives (no alias). */
    private static final Set<String> SERVED = Set.of("validate", "generate", "diff", "graph", "schema");
    /** How often an idle daemon checks its jar, its state file and its folder. */
    private static final int TICK_MILLIS = 2_000;
    /** How long a connection may take to send its request. */
    private static final int REQUEST_MILLIS = 30_000;
    private static final int MAX_FIELD = 1 << 20;
    private static final int MAX_ARGUMENTS = 100_000;

    /** What a daemon publishes in its state file. */
    record State(int port, String token, long pid, String dir) {
        static Optional<State> read(Path file) {
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                String[] first = lines.isEmpty() ? new String[0] : lines.get(0).split(" ");
                if (lines.size() < 2 || first.length != 3) {
                    return Optional.empty();
                }
                return Optional.of(new State(Integer.parseInt(first[0]), first[1], Long.parseLong(first[2]), lines.get(1)));
            } catch (IOException | NumberFormatException e) {
                return Optional.empty();
            }
        }

        /** Written whole or not at all, readable by its owner alone. */
        void write(Path file) throws IOException {
            Path scratch = file.resolveSibling(file.getFileName() + ".new");
            Files.deleteIfExists(scratch);
            Files.createFile(scratch, posix("rw-------"));
            Files.writeString(scratch, port + " " + token + " " + pid + "\n" + dir + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(scratch, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(scratch, file, StandardCopyOption.REPLACE_EXISTING);
            }
        }

        /** Connects and reads the greeting: the daemon of this state answers. */
        Optional<Client> connect(int timeoutMillis) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), timeoutMillis);
                socket.setSoTimeout(timeoutMillis);
                Client client = new Client(socket, new BufferedInputStream(socket.getInputStream()));
                if (GREETING.equals(client.line())) {
                    return Optional.of(client);
                }
            } catch (IOException e) {
                // nobody there, or not a daemon: it does not answer
            }
            close(socket);
            return Optional.empty();
        }
    }

    /** A connection to a daemon (for {@code castle daemon stop}; the launcher has its own, in bash). */
    record Client(Socket socket, InputStream in) implements AutoCloseable {
        void send(String... fields) throws IOException {
            OutputStream out = socket.getOutputStream();
            for (String field : fields) {
                out.write(field.getBytes(StandardCharsets.UTF_8));
                out.write(0);
            }
            out.flush();
        }

        /** A line of the answer, without its newline; null at its end. */
        String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    return null;
                }
                line.write(b);
            }
            return line.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            Daemon.close(socket);
        }
    }

    /** The folder of state files, which the launcher names (it is the daemons' client). */
    static Path stateDir() {
        String dir = System.getProperty("castle.daemonDir");
        if (dir == null || dir.isBlank()) {
            throw new ExitCodes.UserError("castle daemon runs behind the castle launcher (./castle), which hands it the commands; "
                    + "java -jar castle.jar cannot talk to it");
        }
        return Path.of(dir);
    }

    /** The folder of state files, made readable by its owner alone when castle makes it. */
    static void createStateDir(Path stateDir) throws IOException {
        if (!Files.isDirectory(stateDir)) {
            Files.createDirectories(stateDir, posix("rwx------"));
        }
    }

    /** The folder the caller works in, as the launcher sees it ($PWD), which a daemon serves. */
    static String clientDir() {
        return System.getProperty("castle.clientDir", System.getProperty("user.dir"));
    }

    /** The state file of the daemon of {@code dir}. */
    static Path stateFile(Path stateDir, String dir) {
        return stateDir.resolve(dev.castle.text.Sha256.hex(dir.getBytes(StandardCharsets.UTF_8)).substring(0, 16) + ".state");
    }

    /** The log of the daemon of {@code dir}: what its JVM prints (nothing, when all is well). */
    static Path logFile(Path stateDir, String dir) {
        Path state = stateFile(stateDir, dir);
        return state.resolveSibling(state.getFileName().toString().replace(".state", ".log"));
    }

    /** Whether a daemon runs these arguments, or the caller's own JVM must. */
    static boolean served(String[] args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return true;
        }
        if (args.length == 0 || !SERVED.contains(args[0])) {
            return false;
        }
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        try {
            CommandLine.ParseResult parsed = CastleCommand.commandLine(args, nowhere, nowhere).parseArgs(args);
            CommandLine.ParseResult command = parsed.subcommand();
            return command != null && !command.isUsageHelpRequested() && !command.isVersionHelpRequested()
                    && !command.hasMatchedOption("--pin-digests");
        } catch (CommandLine.ParameterException e) {
            return true; // reported the same here as there
        }
    }

    private final ServerSocket server;
    private final String dir;
    private final Path stateFile;
    private final long idleMillis;
    private final String token;
    private final Path jar;
    private final FileTime jarTime;
    private final Object oneAtATime = new Object();
    private volatile long lastUsed = System.currentTimeMillis();
    private volatile boolean stopping;

    Daemon(Path stateDir, String dir, Duration idle) throws IOException {
        this.dir = dir;
        this.idleMillis = idle.toMillis();
        createStateDir(stateDir);
        this.stateFile = stateFile(stateDir, dir);
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.token = HexFormat.of().formatHex(secret);
        this.jar = codeLocation();
        this.jarTime = jar == null ? null : Files.getLastModifiedTime(jar);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setSoTimeout(TICK_MILLIS);
    }

    State state() {
        return new State(server.getLocalPort(), token, ProcessHandle.current().pid(), dir);
    }

    /** Publishes the state file, then serves until stopped; removes the state file (if still its own) on the way out. */
    void serve() throws IOException {
        State state = state();
        Thread cleanup = new Thread(() -> forget(state), "castle-daemon-exit");
        Runtime.getRuntime().addShutdownHook(cleanup);
        state.write(stateFile);
        try {
            while (!stopping) {
                try {
                    Socket socket = server.accept();
                    Thread handler = new Thread(() -> handle(socket), "castle-daemon-request");
                    handler.setDaemon(true);
                    handler.start();
                } catch (SocketTimeoutException tick) {
                    if (System.currentTimeMillis() - lastUsed > idleMillis || stale() || !state.equals(State.read(stateFile).orElse(null))) {
                        stopping = true;
                    }
                } catch (SocketException closed) {
                    stopping = true;
                }
            }
        } finally {
            close(server);
            synchronized (oneAtATime) {
                forget(state);
            }
        }
    }

    void stop() {
        stopping = true;
        close(server);
    }

    private void forget(State state) {
        if (state.equals(State.read(stateFile).orElse(null))) {
            try {
                Files.deleteIfExists(stateFile);
            } catch (IOException e) {
                // the state file stays; the launcher falls back to its own JVM when the port does not answer
            }
        }
    }

    /** The jar changed, or the folder is gone or another: the commands would not run as the caller's own JVM would run them. */
    private boolean stale() {
        try {
            if (jar != null && !Files.getLastModifiedTime(jar).equals(jarTime)) {
                return true;
            }
            Object here = Files.readAttributes(Path.of(""), BasicFileAttributes.class).fileKey();
            return here == null || !here.equals(Files.readAttributes(Path.of(dir), BasicFileAttributes.class).fileKey());
        } catch (IOException e) {
            return true; // the jar or the folder is gone
        }
    }

    private void handle(Socket socket) {
        try (socket) {
            socket.setSoTimeout(REQUEST_MILLIS);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            out.write((GREETING + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            if (!GREETING.equals(field(in, 64)) || !MessageDigest.isEqual(token.getBytes(StandardCharsets.US_ASCII),
                    Objects.requireNonNullElse(field(in, 128), "").getBytes(StandardCharsets.US_ASCII))) {
                return; // not castle, or not this user's castle: closed without a word
            }
            String verb = field(in, 16);
            if ("stop".equals(verb)) {
                frame(out, "x 0");
                stop();
            } else if ("run".equals(verb)) {
                String folder = field(in, MAX_FIELD);
                int count = Integer.parseInt(Objects.requireNonNullElse(field(in, 16), "-1"));
                if (folder == null || count < 0 || count > MAX_ARGUMENTS) {
                    return;
                }
                String[] args = new String[count];
                for (int i = 0; i < count; i++) {
                    args[i] = field(in, MAX_FIELD);
                    if (args[i] == null) {
                        return;
                    }
                }
                socket.setSoTimeout(0);
                run(folder, args, out);
            }
        } catch (IOException | RuntimeException e) {
            // the caller went away, or sent nonsense: nothing to answer
        }
    }

    private void run(String folder, String[] args, OutputStream socket) throws IOException {
        synchronized (oneAtATime) {
            lastUsed = System.currentTimeMillis();
            boolean stale = stale();
            if (stopping || stale || !folder.equals(dir) || !served(args)) {
                frame(socket, "r 0");
                if (stale) {
                    stop();
                }
                return;
            }
            Charset charset = Charset.defaultCharset();
            Frames stdout = new Frames(socket, 'o');
            Frames stderr = new Frames(socket, 'e');
            PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, charset), true);
            PrintWriter err = new PrintWriter(new OutputStreamWriter(stderr, charset), true);
            int status;
            try {
                status = CastleCommand.execute(args, out, err);
            } catch (RuntimeException | Error e) {
                // ExitCodes reports what a command throws; this is what escaped it (say, out of memory):
                // reported as the caller's own JVM would, and the daemon stops rather than serve on in doubt
                err.println("castle: internal error: " + e);
                status = ExitCodes.INTERNAL_ERROR;
                stop();
            }
            out.flush();
            err.flush();
            frame(socket, "x " + status);
            lastUsed = System.currentTimeMillis();
        }
    }

    private static void frame(OutputStream out, String line) throws IOException {
        synchronized (out) {
            out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }

    /** One NUL-terminated field of at most {@code max} bytes; null when the connection ends first or it is longer. */
    private static String field(InputStream in, int max) throws IOException {
        ByteArrayOutputStream field = new ByteArrayOutputStream();
        for (int b = in.read(); b != 0; b = in.read()) {
            if (b < 0 || field.size() >= max) {
                return null;
            }
            field.write(b);
        }
        return field.toString(ARGUMENTS);
    }

    /** How the JVM decodes its command line (and so how a run in the caller's own JVM would). */
    private static final Charset ARGUMENTS = Charset.forName(System.getProperty("sun.jnu.encoding", Charset.defaultCharset().name()));

    /** A standard stream of a command, sent as a frame at each flush (PrintWriter flushes at each line). */
    private static final class Frames extends OutputStream {
        private final OutputStream socket;
        private final char kind;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        Frames(OutputStream socket, char kind) {
            this.socket = socket;
            this.kind = kind;
        }

        @Override
        public void write(int b) {
            buffer.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            buffer.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            if (buffer.size() == 0) {
                return;
            }
            synchronized (socket) {
                socket.write((kind + " " + buffer.size() + "\n").getBytes(StandardCharsets.US_ASCII));
                buffer.writeTo(socket);
                socket.flush();
            }
            buffer.reset();
        }
    }

    /** The jar (or classes folder) castle runs from; null when it has none. */
    private static Path codeLocation() {
        try {
            return Path.of(Daemon.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            return null;
        }
    }

    private static java.nio.file.attribute.FileAttribute<?>[] posix(String permissions) {
        boolean posix = java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        return posix ? new java.nio.file.attribute.FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))}
                : new java.nio.file.attribute.FileAttribute<?>[0];
    }

    private static void close(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
