package dev.castle.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.castle.testing.TestCertificates;
import dev.castle.testing.Tools;

/**
 * Given a registry behind TLS with a certificate authority the test creates, castle publishes with
 * {@code --ca-file} (or {@code --insecure-skip-tls-verify}) and Helm 3 and 4 pull the chart with the
 * same CA; without it, castle refuses and says how to trust it. Given servers that lie (one answers
 * 200 to everything, one accepts every upload and keeps nothing, one is a plain web server), castle
 * never reports success: exit 2, with a message saying the server is not a working registry.
 */
@Tag("integration")
class RegistryTrustTest {

    @Test
    void tlsWithTheTestsOwnCertificateAuthority(@TempDir Path tmp) throws Exception {
        TestCertificates certificates = TestCertificates.make(tmp, "registry");
        Path ca = certificates.ca();
        Path cert = certificates.cert();
        Path key = certificates.key();

        try (LocalRegistry registry = LocalRegistry.start(tmp, Optional.empty(), Optional.of(new LocalRegistry.Tls(cert, key)))) {
            Path chart = HostileInputTest.smallChart(tmp.resolve("tiny"));
            String repo = "oci://" + registry.address() + "/secure";
            Castle.Result untrusted = Castle.run("publish", chart.toString(), repo).assertRefused();
            assertTrue(untrusted.err().contains("x509") && untrusted.err().contains("--ca-file"), untrusted.err());
            Castle.Result plain = Castle.run("publish", chart.toString(), repo, "--plain-http").assertRefused();
            assertTrue(plain.err().contains(registry.address()), plain.err());

            Castle.Result published = Castle.run("publish", chart.toString(), repo, "--ca-file", ca.toString()).assertOk();
            assertTrue(published.out().contains("published tiny 1.0.0 as " + repo + "/tiny:1.0.0"), published.out());
            Castle.run("publish", chart.toString(), repo, "--insecure-skip-tls-verify", "--version", "1.0.1").assertOk();
            Castle.Result mixed = Castle.run("publish", chart.toString(), repo, "--plain-http", "--ca-file", ca.toString())
                    .assertRefused();
            assertTrue(mixed.err().contains("--plain-http goes without TLS options"), mixed.err());

            Path dist = tmp.resolve("dist");
            Castle.run("package", chart.toString(), "-d", dist.toString()).assertOk();
            // Helm 4 pulls over TLS with the CA. Helm 3.17's resolver (containerd's) always speaks plain HTTP to a loopback
            // address, so it cannot reach this registry at all; castle's embedded Helm 3.21 has no such rule.
            Path pulled = Files.createDirectories(tmp.resolve("pulled"));
            Tools.run(tmp, Tools.helm4().toString(), "pull", repo + "/tiny", "--version", "1.0.0", "--ca-file", ca.toString(), "-d",
                    pulled.toString()).assertOk();
            assertEquals(Castle.sha256(dist.resolve("tiny-1.0.0.tgz")), Castle.sha256(pulled.resolve("tiny-1.0.0.tgz")),
                    "Helm 4 pulled castle's archive over TLS");
        }
    }

    @Test
    void serversThatLieNeverGetASuccess(@TempDir Path tmp) throws Exception {
        Path chart = HostileInputTest.smallChart(tmp.resolve("tiny"));
        for (Liar liar : Liar.values()) {
            try (FakeServer server = FakeServer.start(liar)) {
                Castle.Result result = Castle.run("publish", chart.toString(), "oci://" + server.address() + "/charts", "--plain-http")
                        .assertRefused();
                assertTrue(result.err().contains(liar.message), liar + ": " + result.err());
                assertTrue(!result.err().contains("already exists") && result.out().isEmpty(), liar + ": " + result);
            }
        }
        try (StaticServer web = StaticServer.serve(Files.createDirectories(tmp.resolve("www")))) {
            Castle.Result result = Castle.run("publish", chart.toString(), "oci://" + web.url().substring("http://".length())
                    + "/charts", "--plain-http").assertRefused();
            assertTrue(result.err().contains("does not answer as an OCI registry"), result.err());
        }
    }

    /** How a fake server lies, and what castle must then say. */
    enum Liar {
        /** 200 OK, an HTML page, to every request: a web server that is not a registry. */
        OK_TO_EVERYTHING("does not answer as an OCI registry"),
        /** Speaks the upload protocol (202, Location, 201 with a digest) and stores nothing: every read is 404. */
        FORGETS_EVERYTHING("did not keep what it accepted"),
        /** Keeps manifests (by digest and by tag) but no blob: the chart cannot be read back. */
        KEEPS_ONLY_MANIFESTS("does not give it back");

        final String message;

        Liar(String message) {
            this.message = message;
        }
    }

    /** A server on a loopback port that lies as told. */
    static final class FakeServer implements AutoCloseable {
        private final HttpServer server;

        private FakeServer(HttpServer server) {
            this.server = server;
        }

        static FakeServer start(Liar liar) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            java.util.Map<String, String[]> manifests = new java.util.concurrent.ConcurrentHashMap<>();
            server.createContext("/", exchange -> {
                try (exchange) {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    if (liar == Liar.OK_TO_EVERYTHING) {
                        reply(exchange, 200, "text/html", "<html><body>Welcome</body></html>");
                        return;
                    }
                    String method = exchange.getRequestMethod();
                    String path = exchange.getRequestURI().getPath();
                    exchange.getResponseHeaders().add("Docker-Distribution-Api-Version", "registry/2.0");
                    if (path.equals("/v2/")) {
                        reply(exchange, 200, "application/json", "{}");
                    } else if (method.equals("POST") && path.endsWith("/blobs/uploads/")) {
                        exchange.getResponseHeaders().add("Location", path + "upload-1");
                        reply(exchange, 202, null, "");
                    } else if (method.equals("PUT") || method.equals("PATCH")) {
                        String digest = "sha256:" + sha256(body);
                        if (liar == Liar.KEEPS_ONLY_MANIFESTS && path.contains("/manifests/")) {
                            String type = exchange.getRequestHeaders().getFirst("Content-Type");
                            manifests.put(path, new String[] {type, new String(body, StandardCharsets.UTF_8)});
                            manifests.put(path.substring(0, path.lastIndexOf('/') + 1) + digest, manifests.get(path));
                        }
                        exchange.getResponseHeaders().add("Docker-Content-Digest", digest);
                        reply(exchange, method.equals("PATCH") ? 202 : 201, null, "");
                    } else if (manifests.containsKey(path)) {
                        String[] manifest = manifests.get(path);
                        exchange.getResponseHeaders().add("Docker-Content-Digest",
                                "sha256:" + sha256(manifest[1].getBytes(StandardCharsets.UTF_8)));
                        reply(exchange, 200, manifest[0], manifest[1]);
                    } else {
                        reply(exchange, 404, "application/json", "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"unknown\"}]}");
                    }
                }
            });
            server.start();
            return new FakeServer(server);
        }

        String address() {
            return "127.0.0.1:" + server.getAddress().getPort();
        }

        private static void reply(HttpExchange exchange, int status, String type, String text) throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (type != null) {
                exchange.getResponseHeaders().add("Content-Type", type);
            }
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(status, head || bytes.length == 0 ? -1 : bytes.length);
            if (!head && bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        }

        private static String sha256(byte[] data) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
