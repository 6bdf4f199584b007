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
        /** The protocol of that port: every rule about the edge keeps it (TCP for infrastructure). */
        Service.Protocol protocol,
        EnvNames env,
        /** The text of each address variable: {@code {host}} and {@code {port}} stand for the callee's. */
        Formats formats,
        Optional<Credentials> credentials,
        /**
         * Further variables written as text, by name (a Strimzi client's user name, SASL mechanism and
         * security protocol): {@code {release}} stands for the release name.
         */
        Map<String, String> extraFormats,
        /** The topics the caller uses (on a Kafka component). */
        List<String> topics) {

    public Dependency {
        extraFormats = Map.copyOf(extraFormats);
        topics = List.copyOf(topics);
    }

    public enum Kind { service, embedded, external, chart, operator, claim }

    public record EnvNames(String host, String port, String url, String username, String password) {
    }

    /** The placeholders a format may hold. */
    public static final java.util.List<String> PLACEHOLDERS = java.util.List.of("{host}", "{port}");

    /** Formats of the host, port and URL variables. */
    public record Formats(String host, String port, String url) {
    }

    /**
     * A Secret with {@code {release}} standing for the release name, and the variables read from
     * it (name to key); {@code hostKey} is set when only the Secret knows the host (a claim's
     * connection Secret): the host variable and the start-up wait read it there.
     */
    public record Credentials(String secret, Map<String, String> keys, Optional<String> hostKey) {
        public Credentials {
            keys = Map.copyOf(keys);
        }
    }

    /** Whether the host is read from the credentials Secret rather than written. */
    public boolean hostFromSecret() {
        return credentials.flatMap(Credentials::hostKey).isPresent();
    }

    /** The variables written as text, by name: host (unless the Secret has it), port, URL, then the extra ones. */
    public Map<String, String> textVariables() {
        Map<String, String> texts = new LinkedHashMap<>();
        if (!hostFromSecret()) {
            texts.put(env.host(), formats.host());
        }
        texts.put(env.port(), formats.port());
        texts.put(env.url(), formats.url());
        texts.putAll(new java.util.TreeMap<>(extraFormats));
        return texts;
    }

    /** Every variable the edge injects, with the key of {@code dependsOn[].env} that renames it (empty when none does). */
    public Map<String, String> variables() {
        Map<String, String> renamable = Map.of(env.host(), "host", env.port(), "port", env.url(), "url",
                env.username(), "username", env.password(), "password");
        Map<String, String> all = new LinkedHashMap<>();
        textVariables().keySet().forEach(v -> all.put(v, renamable.getOrDefault(v, "")));
        credentials.ifPresent(c -> c.keys().keySet().stream().sorted().forEach(v -> all.put(v, renamable.getOrDefault(v, ""))));
        return all;
    }

    /** NAME_OF_TARGET: upper case, '-' as '_'. */
    public static String envPrefix(String name) {
        return name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }
}
