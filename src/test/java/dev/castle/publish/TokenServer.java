package dev.castle.publish;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A registry token service, as Docker Hub and most registries run one: on
 * {@code GET /token?service=..&scope=..} with the right basic credentials it issues a JWT (RS256,
 * signed by a fresh key whose self-signed certificate the registry trusts, sent in the {@code x5c}
 * header) granting the requested repository actions; anonymous or wrong credentials get a 401.
 * Keeps the requests it saw, for assertions.
 */
final class TokenServer implements AutoCloseable {
    static final String SERVICE = "castle-test-registry";
    static final String ISSUER = "castle-test-issuer";

    /** One token request: the Authorization header (or null) and the scopes asked for. */
    record Request(String authorization, List<String> scopes) {
    }

    private final HttpServer server;
    private final PrivateKey key;
    private final X509Certificate certificate;
    private final Path certificateFile;
    private final String user;
    private final String password;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenServer(HttpServer server, PrivateKey key, X509Certificate certificate, Path certificateFile, String user,
            String password) {
        this.server = server;
        this.key = key;
        this.certificate = certificate;
        this.certificateFile = certificateFile;
        this.user = user;
        this.password = password;
    }

    static TokenServer start(Path dir, String user, String password) throws Exception {
        Path store = dir.resolve("token.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "token", "-keyalg", "RSA", "-keysize", "2048",
                "-sigalg", "SHA256withRSA", "-dname", "CN=castle-test-token", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("keytool failed: " + output);
        }
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, "changeit".toCharArray());
        }
        PrivateKey key = (PrivateKey) keyStore.getKey("token", "changeit".toCharArray());
        X509Certificate certificate = (X509Certificate) keyStore.getCertificate("token");
        Path pem = dir.resolve("token-ca.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        TokenServer tokens = new TokenServer(server, key, certificate, pem, user, password);
        server.createContext("/token", tokens::handle);
        server.start();
        return tokens;
    }

    String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    Path certificateFile() {
        return certificateFile;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    LocalRegistry.TokenAuth registryAuth() {
        return new LocalRegistry.TokenAuth(realm(), SERVICE, ISSUER, certificateFile);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            List<String> scopes = new ArrayList<>();
            String query = exchange.getRequestURI().getRawQuery();
            for (String pair : query == null ? new String[0] : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equals("scope")) {
                    scopes.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            requests.add(new Request(authorization, scopes));
            String expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(authorization)) {
                byte[] body = "{\"details\":\"incorrect username or password\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(401, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            String token = jwt(scopes);
            ObjectNode answer = JSON.createObjectNode().put("token", token).put("access_token", token).put("expires_in", 600);
            byte[] body = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private String jwt(List<String> scopes) throws Exception {
        ObjectNode header = JSON.createObjectNode().put("typ", "JWT").put("alg", "RS256");
        header.putArray("x5c").add(Base64.getEncoder().encodeToString(certificate.getEncoded()));
        long now = System.currentTimeMillis() / 1000;
        ObjectNode claims = JSON.createObjectNode().put("iss", ISSUER).put("sub", user).put("aud", SERVICE)
                .put("exp", now + 600).put("nbf", now - 60).put("iat", now - 60).put("jti", UUID.randomUUID().toString());
        ArrayNode access = claims.putArray("access");
        for (String scope : scopes) {
            String[] parts = scope.split(":");
            if (parts.length == 3) {
                ObjectNode grant = access.addObject().put("type", parts[0]).put("name", parts[1]);
                ArrayNode actions = grant.putArray("actions");
                for (String action : parts[2].split(",")) {
                    actions.add(action);
                }
            }
        }
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String signingInput = url.encodeToString(JSON.writeValueAsBytes(header)) + "." + url.encodeToString(JSON.writeValueAsBytes(claims));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + url.encodeToString(signature.sign());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
