package dev.castle.publish;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real OCI registry for a test: Debian's {@code docker-registry} (CNCF Distribution 2.8), run as
 * its own process with its own config file and storage folder in a temporary folder, listening on
 * a free loopback port; stopped by {@link #close()}. {@code scripts/fetch-tools.sh} installs the
 * package where it is missing.
 */
final class LocalRegistry implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/docker-registry");

    /** Token authentication: the registry trusts tokens signed by this certificate's key. */
    record TokenAuth(String realm, String service, String issuer, Path certificateBundle) {
    }

    /** TLS: the registry serves this certificate (PEM) with this key. */
    record Tls(Path certificate, Path key) {
    }

    private final Process process;
    private final int port;
    private final Path log;
    private final boolean tls;

    private LocalRegistry(Process process, int port, Path log, boolean tls) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.tls = tls;
    }

    /** The registry binary, or an AssertionError telling how to install it. */
    static Path binary() {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError("the OCI registry " + BINARY + " is missing: run `bash scripts/fetch-tools.sh` "
                    + "(mvn verify runs it; it installs Debian's docker-registry package with apt-get)");
        }
        return BINARY;
    }

    static LocalRegistry start(Path dir, Optional<TokenAuth> auth) throws IOException, InterruptedException {
        return start(dir, auth, Optional.empty());
    }

    static LocalRegistry start(Path dir, Optional<TokenAuth> auth, Optional<Tls> tls) throws IOException, InterruptedException {
        Path binary = binary();
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            Path root = Files.createDirectories(dir.resolve("registry-" + port));
            Path storage = Files.createDirectories(root.resolve("storage"));
            Path config = root.resolve("config.yml");
            StringBuilder yaml = new StringBuilder()
                    .append("version: 0.1\n")
                    .append("log:\n  level: warn\n  accesslog:\n    disabled: true\n")
                    .append("storage:\n  filesystem:\n    rootdirectory: ").append(storage).append('\n')
                    .append("  delete:\n    enabled: true\n")
                    .append("http:\n  addr: 127.0.0.1:").append(port).append('\n')
                    .append("  secret: castle-test-secret\n");
            tls.ifPresent(t -> yaml.append("  tls:\n    certificate: ").append(t.certificate()).append("\n    key: ")
                    .append(t.key()).append('\n'));
            auth.ifPresent(a -> yaml.append("auth:\n  token:\n")
                    .append("    realm: ").append(a.realm()).append('\n')
                    .append("    service: ").append(a.service()).append('\n')
                    .append("    issuer: ").append(a.issuer()).append('\n')
                    .append("    rootcertbundle: ").append(a.certificateBundle()).append('\n'));
            Files.writeString(config, yaml);
            Path log = root.resolve("registry.log");
            Process process = new ProcessBuilder(binary.toString(), "serve", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            LocalRegistry registry = new LocalRegistry(process, port, log, tls.isPresent());
            if (registry.awaitReady()) {
                return registry;
            }
            registry.close();
            last = new IOException("docker-registry did not start on port " + port + ":\n" + Files.readString(log));
        }
        throw last;
    }

    private boolean awaitReady() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            if (tls) {
                try (java.net.Socket socket = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                    return true;
                } catch (IOException e) {
                    Thread.sleep(100);
                    continue;
                }
            }
            try {
                int status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/")).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || status == 401) {
                    return true;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        return false;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    /** host:port of the registry. */
    String address() {
        return "127.0.0.1:" + port;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
