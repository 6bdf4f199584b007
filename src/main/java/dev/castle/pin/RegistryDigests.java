package dev.castle.pin;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves an image tag to the digest its registry serves, by the OCI distribution API: {@code HEAD
 * /v2/<repository>/manifests/<tag>} accepting image indexes and manifests (OCI and Docker), reading
 * {@code Docker-Content-Digest}; a registry that omits it on HEAD is asked with GET and the manifest's
 * bytes are hashed. Anonymous bearer tokens are fetched as the registry's challenge says (Docker Hub
 * and most public registries); {@code CASTLE_REGISTRY_USERNAME}/{@code CASTLE_REGISTRY_PASSWORD},
 * when set, are sent to the token service or as basic authentication.
 */
public final class RegistryDigests implements DigestPinning.Resolver {
    /** The manifest types asked for, index first: the digest of a multi-platform image is its index's. */
    static final String ACCEPT = String.join(", ", "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json", "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json");
    private static final Pattern DIGEST = Pattern.compile("^sha256:[a-f0-9]{64}$");
    private static final Pattern PARAMETER = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
    private final boolean plainHttp;
    private final Optional<String[]> credentials;
    private final Map<String, String> mirrors;

    public RegistryDigests(boolean plainHttp, Map<String, String> environment) {
        this(plainHttp, environment, Map.of());
    }

    /**
     * With mirrors (registry to the host that serves its images, such as {@code docker.io} to
     * {@code mirror.local:5000}): the digests of a mirrored registry's images are asked there (a
     * mirror serves the same manifests, so the same digests); the images keep their registry.
     */
    public RegistryDigests(boolean plainHttp, Map<String, String> environment, Map<String, String> mirrors) {
        this.plainHttp = plainHttp;
        this.mirrors = Map.copyOf(mirrors);
        String user = environment.get("CASTLE_REGISTRY_USERNAME");
        String password = environment.get("CASTLE_REGISTRY_PASSWORD");
        this.credentials = user != null && password != null ? Optional.of(new String[] {user, password}) : Optional.empty();
    }

    /** Docker Hub's API host for docker.io. */
    static String apiHost(String registry) {
        return registry.equals("docker.io") || registry.equals("index.docker.io") ? "registry-1.docker.io" : registry;
    }

    @Override
    public String digest(String registry, String repository, String tag) throws DigestPinning.PinFailure {
        String host = mirrors.containsKey(registry) ? mirrors.get(registry)
                : registry.equals("index.docker.io") && mirrors.containsKey("docker.io") ? mirrors.get("docker.io") : apiHost(registry);
        URI uri = URI.create((plainHttp ? "http" : "https") + "://" + host + "/v2/" + repository + "/manifests/" + tag);
        try {
            HttpResponse<byte[]> response = send(uri, "HEAD", Optional.empty());
            Optional<String> authorization = Optional.empty();
            if (response.statusCode() == 401) {
                authorization = Optional.of(authorize(response, repository));
                response = send(uri, "HEAD", authorization);
            }
            if (response.statusCode() == 404) {
                throw new DigestPinning.PinFailure("the registry has no tag '" + tag + "' of " + repository);
            }
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                throw new DigestPinning.PinFailure("the registry refused to show the manifest (HTTP " + response.statusCode()
                        + "); set CASTLE_REGISTRY_USERNAME and CASTLE_REGISTRY_PASSWORD for a private repository");
            }
            if (response.statusCode() != 200) {
                throw new DigestPinning.PinFailure("the registry answered HTTP " + response.statusCode() + " for " + uri);
            }
            Optional<String> header = response.headers().firstValue("Docker-Content-Digest");
            String digest;
            if (header.isPresent()) {
                digest = header.get().trim();
            } else {
                HttpResponse<byte[]> manifest = send(uri, "GET", authorization);
                if (manifest.statusCode() != 200) {
                    throw new DigestPinning.PinFailure("the registry answered HTTP " + manifest.statusCode() + " for " + uri);
                }
                digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(manifest.body()));
            }
            if (!DIGEST.matcher(digest).matches()) {
                throw new DigestPinning.PinFailure("the registry gave '" + digest + "', not a sha256 digest");
            }
            return digest;
        } catch (IOException e) {
            throw new DigestPinning.PinFailure("cannot reach " + uri.getScheme() + "://" + uri.getAuthority() + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + (plainHttp ? "" : " (a registry that serves plain HTTP needs --plain-http)"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DigestPinning.PinFailure("interrupted");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<byte[]> send(URI uri, String method, Optional<String> authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", ACCEPT)
                .method(method, HttpRequest.BodyPublishers.noBody());
        authorization.ifPresent(a -> request.header("Authorization", a));
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The Authorization header the challenge asks for: a bearer token from its realm, or basic credentials. */
    private String authorize(HttpResponse<byte[]> challenge, String repository) throws IOException, InterruptedException, DigestPinning.PinFailure {
        String header = challenge.headers().firstValue("WWW-Authenticate").orElse("");
        if (header.regionMatches(true, 0, "Basic", 0, 5)) {
            String[] c = credentials.orElseThrow(() -> new DigestPinning.PinFailure(
                    "the registry asks for a user name and password: set CASTLE_REGISTRY_USERNAME and CASTLE_REGISTRY_PASSWORD"));
            return basic(c);
        }
        if (!header.regionMatches(true, 0, "Bearer", 0, 6)) {
            throw new DigestPinning.PinFailure("the registry asks for authentication castle does not speak: " + header);
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        Matcher m = PARAMETER.matcher(header);
        while (m.find()) {
            parameters.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
        }
        String realm = Optional.ofNullable(parameters.get("realm")).orElseThrow(() -> new DigestPinning.PinFailure("the registry's challenge names no realm: " + header));
        StringBuilder query = new StringBuilder();
        Optional.ofNullable(parameters.get("service")).ifPresent(s -> query.append("service=").append(URLEncoder.encode(s, StandardCharsets.UTF_8)).append('&'));
        query.append("scope=").append(URLEncoder.encode(parameters.getOrDefault("scope", "repository:" + repository + ":pull"), StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(realm + (realm.contains("?") ? "&" : "?") + query)).timeout(TIMEOUT).GET();
        credentials.ifPresent(c -> request.header("Authorization", basic(c)));
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new DigestPinning.PinFailure("the token service " + realm + " answered HTTP " + response.statusCode());
        }
        Matcher token = Pattern.compile("\"(?:token|access_token)\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
        if (!token.find()) {
            throw new DigestPinning.PinFailure("the token service " + realm + " gave no token");
        }
        return "Bearer " + token.group(1);
    }

    private static String basic(String[] credentials) {
        return "Basic " + Base64.getEncoder().encodeToString((credentials[0] + ":" + credentials[1]).getBytes(StandardCharsets.UTF_8));
    }
}
