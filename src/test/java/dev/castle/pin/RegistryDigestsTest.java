package dev.castle.pin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The tag-to-digest resolution against a registry written here from the distribution spec (no
 * tools): the Accept header asks for indexes first; an anonymous bearer token is fetched as the
 * challenge says; a registry without Docker-Content-Digest on HEAD is asked with GET and the bytes
 * are hashed; unknown tags, refusals and non-digests are failures with a reason.
 */
class RegistryDigestsTest {
    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private static final byte[] MANIFEST = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);

    private HttpServer server;
    private final List<String> requests = new ArrayList<>();
    private boolean bearer;
    private boolean digestHeader = true;
    private String servedDigest = DIGEST;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().toString();
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        requests.add(exchange.getRequestMethod() + " " + path + " " + exchange.getRequestHeaders().getFirst("Accept") + " " + authorization);
        if (path.startsWith("/token")) {
            byte[] body = "{\"token\":\"t0k3n\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        } else if (bearer && !"Bearer t0k3n".equals(authorization)) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://" + host() + "/token\",service=\"fake\",scope=\"repository:acme/web:pull\"");
            exchange.sendResponseHeaders(401, -1);
        } else if (path.equals("/v2/acme/web/manifests/1.0.0")) {
            if (digestHeader) {
                exchange.getResponseHeaders().add("Docker-Content-Digest", servedDigest);
            }
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(200, head ? -1 : MANIFEST.length);
            if (!head) {
                exchange.getResponseBody().write(MANIFEST);
            }
        } else {
            exchange.sendResponseHeaders(404, -1);
        }
        exchange.close();
    }

    private String resolve(String tag) throws DigestPinning.PinFailure {
        return new RegistryDigests(true, Map.of()).digest(host(), "acme/web", tag);
    }

    @Test
    void headReadsTheDigestAskingForIndexesFirst() throws Exception {
        assertEquals(DIGEST, resolve("1.0.0"));
        assertEquals(1, requests.size(), requests::toString);
        assertTrue(requests.get(0).startsWith("HEAD /v2/acme/web/manifests/1.0.0 application/vnd.oci.image.index.v1+json, "
                + "application/vnd.docker.distribution.manifest.list.v2+json"), requests::toString);
    }

    @Test
    void anonymousBearerTokenAsTheChallengeSays() throws Exception {
        bearer = true;
        assertEquals(DIGEST, resolve("1.0.0"));
        assertEquals(3, requests.size(), requests::toString);
        assertTrue(requests.get(1).startsWith("GET /token?service=fake&scope=repository%3Aacme%2Fweb%3Apull"), requests::toString);
        assertTrue(requests.get(2).endsWith("Bearer t0k3n"), requests::toString);
    }

    @Test
    void withoutTheHeaderTheManifestIsHashed() throws Exception {
        digestHeader = false;
        String expected = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(MANIFEST));
        assertEquals(expected, resolve("1.0.0"));
    }

    @Test
    void failuresSayWhy() {
        assertTrue(assertThrows(DigestPinning.PinFailure.class, () -> resolve("2.0.0")).getMessage().contains("no tag '2.0.0'"));
        servedDigest = "md5:1234";
        assertTrue(assertThrows(DigestPinning.PinFailure.class, () -> resolve("1.0.0")).getMessage().contains("not a sha256 digest"));
        RegistryDigests tls = new RegistryDigests(false, Map.of());
        assertTrue(assertThrows(DigestPinning.PinFailure.class, () -> tls.digest(host(), "acme/web", "1.0.0")).getMessage()
                .contains("--plain-http"));
    }

    @Test
    void dockerHubIsAskedAtItsApiHost() {
        assertEquals("registry-1.docker.io", RegistryDigests.apiHost("docker.io"));
        assertEquals("ghcr.io", RegistryDigests.apiHost("ghcr.io"));
    }
}
