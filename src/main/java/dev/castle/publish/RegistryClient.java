package dev.castle.publish;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.net.ssl.SSLException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The few calls of the OCI distribution API that publishing a chart needs (check a tag, upload a
 * blob, put a manifest), over {@link HttpClient}, with the registry authentication flows: on a 401
 * the client reads the {@code WWW-Authenticate} challenge and either fetches a bearer token from
 * the named realm for the repository's {@code pull,push} scope (anonymously, with basic
 * credentials, or with an OAuth2 refresh token) or answers a {@code Basic} challenge with the
 * credentials, then repeats the request.
 */
final class RegistryClient {
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String ACCEPT_MANIFESTS = OCI_MANIFEST + ", application/vnd.docker.distribution.manifest.v2+json, "
            + "application/vnd.oci.image.index.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String registry;
    private final boolean plainHttp;
    private final Optional<RegistryCredentials> credentials;
    private final HttpClient http;
    private String authorization;

    RegistryClient(String registry, boolean plainHttp, Optional<RegistryCredentials> credentials) {
        this.registry = registry;
        this.plainHttp = plainHttp;
        this.credentials = credentials;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    private URI uri(String path) {
        return URI.create((plainHttp ? "http" : "https") + "://" + registry + "/v2/" + path);
    }

    /** Whether the repository has a manifest with this tag. */
    boolean manifestExists(String repository, String tag) throws PublishException {
        HttpResponse<byte[]> response = send("HEAD", uri(repository + "/manifests/" + tag), Map.of("Accept", ACCEPT_MANIFESTS),
                null, repository);
        if (response.statusCode() == 200) {
            return true;
        }
        if (response.statusCode() == 404) {
            return false;
        }
        throw failure("check for " + repository + ":" + tag, response);
    }

    /** Uploads a blob unless the repository has it already (a monolithic upload: POST, then PUT). */
    void pushBlob(String repository, byte[] data, String digest) throws PublishException {
        HttpResponse<byte[]> head = send("HEAD", uri(repository + "/blobs/" + digest), Map.of(), null, repository);
        if (head.statusCode() == 200) {
            return;
        }
        HttpResponse<byte[]> start = send("POST", uri(repository + "/blobs/uploads/"), Map.of(), new byte[0], repository);
        if (start.statusCode() != 202) {
            throw failure("start an upload to " + repository, start);
        }
        String location = start.headers().firstValue("Location")
                .orElseThrow(() -> new PublishException(registry + " started an upload without saying where (no Location header)"));
        URI target = start.request().uri().resolve(location);
        String query = (target.getRawQuery() == null ? "" : target.getRawQuery() + "&") + "digest="
                + URLEncoder.encode(digest, StandardCharsets.UTF_8);
        URI put = URI.create(target.getScheme() + "://" + target.getRawAuthority() + target.getRawPath() + "?" + query);
        HttpResponse<byte[]> done = send("PUT", put, Map.of("Content-Type", "application/octet-stream"), data, repository);
        if (done.statusCode() != 201) {
            throw failure("upload " + digest + " to " + repository, done);
        }
    }

    /** Puts a manifest under a tag and returns its digest. */
    String putManifest(String repository, String tag, byte[] manifest) throws PublishException {
        HttpResponse<byte[]> response = send("PUT", uri(repository + "/manifests/" + tag), Map.of("Content-Type", OCI_MANIFEST),
                manifest, repository);
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw failure("put the manifest " + repository + ":" + tag, response);
        }
        return response.headers().firstValue("Docker-Content-Digest").orElse("sha256:" + ChartPackager.sha256(manifest));
    }

    private HttpResponse<byte[]> send(String method, URI uri, Map<String, String> headers, byte[] body, String repository)
            throws PublishException {
        String lastChallenge = null;
        for (int attempt = 0; ; attempt++) {
            HttpResponse<byte[]> response = exchange(method, uri, headers, body, authorization);
            if (response.statusCode() != 401) {
                return response;
            }
            String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
            if (attempt >= 2 || challenge.equals(lastChallenge) && authorization != null) {
                throw new PublishException(registry + " refused " + who() + " for " + method + " " + uri.getPath()
                        + " (401 Unauthorized" + errors(response.body()) + "). " + LOGIN_HINT);
            }
            lastChallenge = challenge;
            authorization = authorize(challenge, repository);
        }
    }

    private static final String LOGIN_HINT = "Set " + RegistryCredentials.USERNAME_VARIABLE + " and "
            + RegistryCredentials.PASSWORD_VARIABLE + ", or log in with docker login or helm registry login.";

    private String who() {
        return credentials.map(RegistryCredentials::toString).orElse("anonymous access");
    }

    private HttpResponse<byte[]> exchange(String method, URI uri, Map<String, String> headers, byte[] body, String auth)
            throws PublishException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        if (auth != null) {
            request.header("Authorization", auth);
        }
        request.header("User-Agent", "castle");
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw new PublishException("cannot connect to " + uri.getScheme() + "://" + uri.getRawAuthority() + " (" + message(e) + ")");
        } catch (SSLException e) {
            throw new PublishException("TLS with " + uri.getRawAuthority() + " failed (" + message(e) + ")"
                    + (plainHttp ? "" : "; for a registry that speaks plain HTTP, add --plain-http"));
        } catch (IOException e) {
            throw new PublishException(method + " " + uri + " failed: " + message(e)
                    + (plainHttp ? "" : " (for a registry that speaks plain HTTP, add --plain-http)"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted while talking to " + registry);
        }
    }

    /** Answers a challenge: a bearer token from the realm, or basic credentials. */
    private String authorize(String challenge, String repository) throws PublishException {
        Challenge c = Challenge.parse(challenge);
        if (c.scheme.equals("basic")) {
            return credentials.filter(cr -> !cr.username().isEmpty())
                    .map(RegistryCredentials::basicAuthorization)
                    .orElseThrow(() -> new PublishException(registry + " asks for a user name and password. " + LOGIN_HINT));
        }
        if (!c.scheme.equals("bearer") || !c.params.containsKey("realm")) {
            throw new PublishException(registry + " asks for an authentication castle does not know: " + challenge);
        }
        Set<String> scopes = new LinkedHashSet<>();
        if (c.params.containsKey("scope")) {
            scopes.addAll(List.of(c.params.get("scope").split(" ")));
        }
        scopes.add("repository:" + repository + ":pull,push");
        return "Bearer " + token(URI.create(c.params.get("realm")), c.params.getOrDefault("service", ""), scopes);
    }

    private String token(URI realm, String service, Set<String> scopes) throws PublishException {
        HttpResponse<byte[]> response;
        Optional<RegistryCredentials> refresh = credentials.filter(RegistryCredentials::hasIdentityToken);
        if (refresh.isPresent()) {
            String form = "grant_type=refresh_token&client_id=castle&service=" + enc(service) + "&scope=" + enc(String.join(" ", scopes))
                    + "&refresh_token=" + enc(refresh.get().identityToken());
            response = exchangeToken(HttpRequest.newBuilder(realm).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)), realm);
        } else {
            StringBuilder query = new StringBuilder(realm.getRawQuery() == null ? "" : realm.getRawQuery());
            if (!service.isEmpty()) {
                query.append(query.length() == 0 ? "" : "&").append("service=").append(enc(service));
            }
            for (String scope : scopes) {
                query.append(query.length() == 0 ? "" : "&").append("scope=").append(enc(scope));
            }
            URI uri = URI.create(realm.getScheme() + "://" + realm.getRawAuthority() + realm.getRawPath()
                    + (query.length() == 0 ? "" : "?" + query));
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
            credentials.filter(cr -> !cr.username().isEmpty()).ifPresent(cr -> request.header("Authorization", cr.basicAuthorization()));
            response = exchangeToken(request, realm);
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new PublishException("the token service " + realm + " refused " + who() + " (" + response.statusCode()
                    + errors(response.body()) + "). " + LOGIN_HINT);
        }
        if (response.statusCode() != 200) {
            throw new PublishException("the token service " + realm + " answered " + response.statusCode() + errors(response.body()));
        }
        try {
            JsonNode json = JSON.readTree(response.body());
            String token = json.path("token").asText(json.path("access_token").asText(""));
            if (token.isEmpty()) {
                throw new PublishException("the token service " + realm + " answered without a token");
            }
            return token;
        } catch (IOException e) {
            throw new PublishException("the token service " + realm + " answered something that is not JSON");
        }
    }

    private HttpResponse<byte[]> exchangeToken(HttpRequest.Builder request, URI realm) throws PublishException {
        try {
            return http.send(request.timeout(Duration.ofMinutes(1)).header("User-Agent", "castle").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new PublishException("cannot get a token from " + realm + ": " + message(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted while getting a token from " + realm);
        }
    }

    private PublishException failure(String what, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        String hint = status == 403 ? " " + who() + " may not push there." : "";
        return new PublishException("cannot " + what + " on " + registry + ": " + status + errors(response.body()) + "." + hint);
    }

    /** The registry's error list ({"errors":[{"code","message"}]}), as text. */
    private static String errors(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        try {
            JsonNode json = JSON.readTree(body);
            List<String> parts = new ArrayList<>();
            for (JsonNode e : json.path("errors")) {
                parts.add(e.path("code").asText("") + (e.hasNonNull("message") ? ": " + e.get("message").asText() : ""));
            }
            if (parts.isEmpty() && json.hasNonNull("details")) {
                parts.add(json.get("details").asText());
            }
            return parts.isEmpty() ? "" : " " + String.join("; ", parts);
        } catch (IOException e) {
            String text = new String(body, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "" : " " + (text.length() > 200 ? text.substring(0, 200) + "..." : text);
        }
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A WWW-Authenticate challenge: a scheme and its parameters (quoted values may hold commas). */
    record Challenge(String scheme, Map<String, String> params) {
        static Challenge parse(String header) {
            String h = header.strip();
            int space = h.indexOf(' ');
            String scheme = (space < 0 ? h : h.substring(0, space)).toLowerCase(Locale.ROOT);
            Map<String, String> params = new LinkedHashMap<>();
            int i = space < 0 ? h.length() : space + 1;
            while (i < h.length()) {
                while (i < h.length() && (h.charAt(i) == ' ' || h.charAt(i) == ',')) {
                    i++;
                }
                int eq = h.indexOf('=', i);
                if (eq < 0) {
                    break;
                }
                String key = h.substring(i, eq).strip().toLowerCase(Locale.ROOT);
                i = eq + 1;
                StringBuilder value = new StringBuilder();
                if (i < h.length() && h.charAt(i) == '"') {
                    i++;
                    while (i < h.length() && h.charAt(i) != '"') {
                        if (h.charAt(i) == '\\' && i + 1 < h.length()) {
                            i++;
                        }
                        value.append(h.charAt(i++));
                    }
                    i++;
                } else {
                    while (i < h.length() && h.charAt(i) != ',') {
                        value.append(h.charAt(i++));
                    }
                }
                params.put(key, value.toString().strip());
            }
            return new Challenge(scheme, params);
        }
    }
}
