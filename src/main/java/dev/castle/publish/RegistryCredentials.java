package dev.castle.publish;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Credentials for a registry, found as the Docker and Helm command lines find theirs.
 *
 * <ol>
 *   <li>{@code CASTLE_REGISTRY_USERNAME} and {@code CASTLE_REGISTRY_PASSWORD} (both, or neither);</li>
 *   <li>the Docker config file ({@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}):
 *       a credential helper for the registry ({@code credHelpers}, else {@code credsStore} when its
 *       program is on the PATH, run as {@code docker-credential-<name> get}), else its {@code auths} entry ({@code auth} is base64 of
 *       {@code user:password}; an {@code identitytoken} is used as an OAuth2 refresh token);</li>
 *   <li>Helm's registry config ({@code helm registry login}: {@code $HELM_REGISTRY_CONFIG}, else
 *       {@code $XDG_CONFIG_HOME/helm/registry/config.json} or {@code ~/.config/helm/registry/config.json}),
 *       which has the same format.</li>
 * </ol>
 *
 * @param source where they came from, for messages (never the secret)
 */
public record RegistryCredentials(String username, String password, String identityToken, String source) {
    public static final String USERNAME_VARIABLE = "CASTLE_REGISTRY_USERNAME";
    public static final String PASSWORD_VARIABLE = "CASTLE_REGISTRY_PASSWORD";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String toString() {
        return "credentials of " + username + " from " + source;
    }

    boolean hasIdentityToken() {
        return !identityToken.isEmpty();
    }

    String basicAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Finds credentials for {@code registry} (host[:port]) in the environment and the config files. */
    public static Optional<RegistryCredentials> lookup(String registry, Map<String, String> env) throws PublishException {
        String user = env.get(USERNAME_VARIABLE);
        String password = env.get(PASSWORD_VARIABLE);
        if (user != null && !user.isEmpty() || password != null && !password.isEmpty()) {
            if (user == null || user.isEmpty() || password == null || password.isEmpty()) {
                throw new PublishException("set both " + USERNAME_VARIABLE + " and " + PASSWORD_VARIABLE + ", or neither");
            }
            return Optional.of(new RegistryCredentials(user, password, "", "the environment (" + USERNAME_VARIABLE + ")"));
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        Path docker = env.containsKey("DOCKER_CONFIG") ? Path.of(env.get("DOCKER_CONFIG"), "config.json")
                : Path.of(home, ".docker", "config.json");
        Optional<RegistryCredentials> found = fromConfigFile(docker, registry, env);
        if (found.isPresent()) {
            return found;
        }
        Path helm = env.containsKey("HELM_REGISTRY_CONFIG") ? Path.of(env.get("HELM_REGISTRY_CONFIG"))
                : Path.of(env.getOrDefault("XDG_CONFIG_HOME", Path.of(home, ".config").toString()), "helm", "registry", "config.json");
        return fromConfigFile(helm, registry, env);
    }

    static Optional<RegistryCredentials> fromConfigFile(Path file, String registry, Map<String, String> env) throws PublishException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode config;
        try {
            config = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new PublishException("cannot read " + file + ": " + e.getMessage());
        }
        if (config == null || !config.isObject()) {
            throw new PublishException(file + " is not a JSON object");
        }
        String helper = null;
        boolean specific = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = config.path("credHelpers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (registryKey(e.getKey()).equals(registryKey(registry))) {
                helper = e.getValue().asText();
                specific = true;
            }
        }
        JsonNode auths = config.path("auths");
        JsonNode entry = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (registryKey(e.getKey()).equals(registryKey(registry))) {
                entry = e.getValue();
            }
        }
        if (helper == null && config.hasNonNull("credsStore")) {
            helper = config.get("credsStore").asText();
        }
        if (helper != null && !helper.isEmpty()) {
            Optional<RegistryCredentials> fromHelper = fromHelper(helper, registry, file, env, specific);
            if (fromHelper.isPresent() || entry == null) {
                return fromHelper;
            }
        }
        if (entry == null) {
            return Optional.empty();
        }
        String user = entry.path("username").asText("");
        String password = entry.path("password").asText("");
        String auth = entry.path("auth").asText("");
        if (!auth.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new PublishException(file + ": the auth of " + registry + " is not base64");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new PublishException(file + ": the auth of " + registry + " is not base64 of user:password");
            }
            user = decoded.substring(0, colon);
            password = decoded.substring(colon + 1);
        }
        String identityToken = entry.path("identitytoken").asText("");
        if (user.isEmpty() && identityToken.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RegistryCredentials(user, password, identityToken, file.toString()));
    }

    /** Runs {@code docker-credential-<helper> get} with the registry on standard input. */
    private static Optional<RegistryCredentials> fromHelper(String helper, String registry, Path file, Map<String, String> env,
            boolean specific) throws PublishException {
        String program = "docker-credential-" + helper;
        Optional<Path> executable = onPath(program, env.getOrDefault("PATH", ""));
        if (executable.isEmpty()) {
            if (!specific) {
                return Optional.empty(); // a default store (credsStore) of another machine's Docker
            }
            throw new PublishException(file + " asks for the credential helper " + program + ", which is not on the PATH");
        }
        try {
            Process process = new ProcessBuilder(executable.get().toString(), "get").redirectErrorStream(false).start();
            try (var stdin = process.getOutputStream()) {
                stdin.write(registry.getBytes(StandardCharsets.UTF_8));
            }
            byte[] out = process.getInputStream().readAllBytes();
            process.getErrorStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new PublishException(program + " get did not answer within 30 s");
            }
            if (process.exitValue() != 0) {
                return Optional.empty(); // "credentials not found in native keychain"
            }
            JsonNode answer = JSON.readTree(out);
            String user = answer.path("Username").asText("");
            String secret = answer.path("Secret").asText("");
            if ("<token>".equals(user)) {
                return Optional.of(new RegistryCredentials("", "", secret, program));
            }
            return user.isEmpty() ? Optional.empty() : Optional.of(new RegistryCredentials(user, secret, "", program));
        } catch (IOException e) {
            throw new PublishException("cannot run " + program + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted while running " + program);
        }
    }

    private static Optional<Path> onPath(String program, String path) {
        List<String> dirs = new ArrayList<>(List.of(path.split(java.io.File.pathSeparator)));
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The host[:port] a config key names: keys may carry a scheme and a path; Docker Hub has several names. */
    static String registryKey(String key) {
        String k = key.strip();
        int scheme = k.indexOf("://");
        if (scheme >= 0) {
            k = k.substring(scheme + 3);
        }
        int slash = k.indexOf('/');
        if (slash >= 0) {
            k = k.substring(0, slash);
        }
        k = k.toLowerCase(java.util.Locale.ROOT);
        if (k.equals("index.docker.io") || k.equals("registry-1.docker.io") || k.equals("docker.io")) {
            return "docker.io";
        }
        return k;
    }
}
