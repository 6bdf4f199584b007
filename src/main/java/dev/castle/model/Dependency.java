package dev.castle.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An edge of the system's graph, resolved: who is called, where, how its address and credentials
 * reach the caller's environment, and whether the caller waits for it at start-up. Computed once
 * from the graph in the model; every template that needs it gets it from here.
 */
public record Dependency(
        String name,
        Kind kind,
        boolean startup,
        int timeoutSeconds,
        /** Host with {@code {release}} standing for the release name, a literal external host, or empty when only {@link Credentials#hostKey} knows it. */
        String host,
        int port,
        /** The callee's target port name on its pods, for network policies (empty for external targets). */
        String targetPortName,
        /** Container port on the callee's pods (for network policies). */
        int targetPort,
        String urlPrefix,
        String urlSuffix,
        EnvNames env,
        Optional<Credentials> credentials,
        /**
         * The variables written as text, by name: formats where {@code {host}}, {@code {port}} and
         * {@code {release}} stand for the address and the release name, and {@code $(VAR)} for a
         * variable read from the credentials Secret.
         */
        Map<String, String> formats,
        /** The topics the caller uses (on a Kafka component). */
        List<String> topics) {

    public Dependency {
        formats = Map.copyOf(formats);
        topics = List.copyOf(topics);
    }

    public enum Kind { service, embedded, external, chart, operator, claim }

    public record EnvNames(String host, String port, String url, String username, String password) {
    }

    /**
     * A Secret with {@code {release}} standing for the release name, and the variables read from
     * it (name to key); {@code hostKey} is set when only the Secret knows the host (a claim's
     * connection Secret): the start-up wait reads it there.
     */
    public record Credentials(String secret, Map<String, String> keys, Optional<String> hostKey) {
        public Credentials {
            keys = Map.copyOf(keys);
        }
    }

    /** Every variable the edge injects, with the key of {@code dependsOn[].env} that renames it (empty when none does). */
    public Map<String, String> variables() {
        Map<String, String> renamable = Map.of(env.host(), "host", env.port(), "port", env.url(), "url",
                env.username(), "username", env.password(), "password");
        Map<String, String> all = new LinkedHashMap<>();
        formats.keySet().stream().sorted().forEach(v -> all.put(v, renamable.getOrDefault(v, "")));
        credentials.ifPresent(c -> c.keys().keySet().stream().sorted().forEach(v -> all.put(v, renamable.getOrDefault(v, ""))));
        return all;
    }

    /** NAME_OF_TARGET: upper case, '-' as '_'. */
    public static String envPrefix(String name) {
        return name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }
}
