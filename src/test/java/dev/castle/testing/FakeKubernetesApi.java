package dev.castle.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * The part of a Kubernetes API server a credentials Job talks to, over real TLS with a certificate
 * authority made by openssl: reading one Secret and creating Secrets in one namespace, for the bearer
 * token it hands out, and only what the rules of a Role allow (as RBAC would). It keeps the Secrets
 * it was given, as base64 data, and a log of every request. Also writes the service-account folder
 * (token, ca.crt, namespace) a pod would see.
 */
public final class FakeKubernetesApi implements AutoCloseable {
    private static final Pattern SECRETS = Pattern.compile("^/api/v1/namespaces/([^/]+)/secrets(?:/([^/]+))?$");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the server saw it: verb, namespace, name (empty for create), and the status answered. */
    public record Request(String verb, String namespace, String name, int status) {
    }

    private final HttpsServer server;
    private final String namespace;
    private final String token;
    private final Path serviceAccount;
    private final Map<String, Map<String, String>> secrets = new TreeMap<>();
    private final Map<String, Map<String, Object>> objects = new TreeMap<>();
    private final List<Request> requests = new ArrayList<>();
    private List<Map<String, Object>> rules = List.of();

    private FakeKubernetesApi(HttpsServer server, String namespace, String token, Path serviceAccount) {
        this.server = server;
        this.namespace = namespace;
        this.token = token;
        this.serviceAccount = serviceAccount;
    }

    /** Starts on a free loopback port, with its certificates and the service-account folder under {@code dir}. */
    public static FakeKubernetesApi start(Path dir, String namespace) throws Exception {
        TestCertificates certificates = TestCertificates.make(dir, "api");
        Path ca = certificates.ca();
        Path store = certificates.pkcs12("castle");
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, "castle".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, "castle".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, new SecureRandom());
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        Path serviceAccount = Files.createDirectories(dir.resolve("serviceaccount"));
        Files.writeString(serviceAccount.resolve("token"), token);
        Files.copy(ca, serviceAccount.resolve("ca.crt"));
        Files.writeString(serviceAccount.resolve("namespace"), namespace);
        FakeKubernetesApi api = new FakeKubernetesApi(server, namespace, token, serviceAccount);
        server.createContext("/", api::handle);
        server.start();
        return api;
    }

    /** https://127.0.0.1:PORT */
    public String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The folder a pod's service-account token volume would be: token, ca.crt, namespace. */
    public Path serviceAccount() {
        return serviceAccount;
    }

    /** From now on, requests are allowed only by these rules (a Role's, as rendered). */
    public synchronized void authorize(List<Map<String, Object>> roleRules) {
        this.rules = List.copyOf(roleRules);
    }

    /** The Secret's data, decoded, or null when there is no such Secret. */
    public synchronized Map<String, String> secret(String name) {
        Map<String, String> data = secrets.get(name);
        if (data == null) {
            return null;
        }
        Map<String, String> decoded = new TreeMap<>();
        data.forEach((k, v) -> decoded.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        return decoded;
    }

    public synchronized Map<String, Object> secretObject(String name) {
        return objects.get(name);
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Matcher m = SECRETS.matcher(path);
            String verb = switch (exchange.getRequestMethod()) {
                case "GET" -> "get";
                case "POST" -> "create";
                default -> exchange.getRequestMethod().toLowerCase(java.util.Locale.ROOT);
            };
            String name = m.matches() && m.group(2) != null ? m.group(2) : "";
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status;
            String answer;
            if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                status = 401;
                answer = status(401, "Unauthorized");
            } else if (!m.matches() || !m.group(1).equals(namespace) || (verb.equals("get") && name.isEmpty())
                    || (verb.equals("create") && !name.isEmpty())) {
                status = 404;
                answer = status(404, "the server could not find the requested resource");
            } else if (!allowed(verb, name)) {
                status = 403;
                answer = status(403, "secrets \"" + name + "\" is forbidden: " + verb);
            } else if (verb.equals("get")) {
                Map<String, Object> secret = objects.get(name);
                status = secret == null ? 404 : 200;
                answer = secret == null ? status(404, "secrets \"" + name + "\" not found") : JSON.writeValueAsString(secret);
            } else if (verb.equals("create")) {
                JsonNode secret = JSON.readTree(body);
                String created = secret.path("metadata").path("name").asText("");
                if (!"Secret".equals(secret.path("kind").asText()) || !"v1".equals(secret.path("apiVersion").asText()) || created.isEmpty()) {
                    status = 400;
                    answer = status(400, "not a v1 Secret with a name");
                } else if (objects.containsKey(created)) {
                    status = 409;
                    answer = status(409, "secrets \"" + created + "\" already exists");
                } else {
                    Map<String, String> data = new TreeMap<>();
                    secret.path("data").fields().forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
                    secret.path("stringData").fields().forEachRemaining(e -> data.put(e.getKey(),
                            Base64.getEncoder().encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8))));
                    @SuppressWarnings("unchecked")
                    Map<String, Object> stored = JSON.convertValue(secret, LinkedHashMap.class);
                    stored.remove("stringData");
                    stored.put("data", new TreeMap<>(data));
                    secrets.put(created, data);
                    objects.put(created, stored);
                    status = 201;
                    answer = JSON.writeValueAsString(stored);
                    name = created;
                }
            } else {
                status = 405;
                answer = status(405, "method not allowed");
            }
            requests.add(new Request(verb, m.matches() ? m.group(1) : "", name, status));
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (RuntimeException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }

    /** RBAC: some rule of the core group on secrets allows the verb, for this name when it lists names (never for create). */
    private boolean allowed(String verb, String name) {
        if (rules.isEmpty()) {
            return true;
        }
        for (Map<String, Object> rule : rules) {
            List<?> groups = (List<?>) rule.getOrDefault("apiGroups", List.of());
            List<?> resources = (List<?>) rule.getOrDefault("resources", List.of());
            List<?> verbs = (List<?>) rule.getOrDefault("verbs", List.of());
            List<?> names = (List<?>) rule.getOrDefault("resourceNames", List.of());
            boolean nameOk = names.isEmpty() || (!verb.equals("create") && names.contains(name));
            if (groups.contains("") && resources.contains("secrets") && verbs.contains(verb) && nameOk) {
                return true;
            }
        }
        return false;
    }

    private static String status(int code, String message) {
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":" + quote(message) + ",\"code\":" + code + "}";
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
