package dev.castle.model;

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
        /** Host with {@code {release}} standing for the release name, or a literal external host. */
        String host,
        int port,
        /** The callee's target port name on its pods, for network policies (empty for external targets). */
        String targetPortName,
        /** Container port on the callee's pods (for network policies). */
        int targetPort,
        /** The protocol of that port: every rule about the edge keeps it (TCP for infrastructure). */
        Service.Protocol protocol,
        EnvNames env,
        /**
         * The text of each address variable: {@code {host}} and {@code {port}} stand for the callee's
         * (replaced when the chart renders, from the values); the other placeholders are already replaced.
         */
        Formats formats,
        Optional<Credentials> credentials,
        /** The placeholders this callee has (every format may hold these only). */
        java.util.List<String> placeholders) {

    public enum Kind { service, embedded, external, chart }

    public record EnvNames(String host, String port, String url, String username, String password) {
    }

    /**
     * The placeholders a format may hold: the callee's host and port; its URL scheme ({@code http},
     * {@code postgresql}, {@code amqp}...), database or virtual host, and the URL's path
     * ({@code /<database>}, or nothing); its user name and password, as references to the
     * variables that read them from the Secret ({@code $(DB_PASSWORD)}: never a value).
     */
    public static final java.util.List<String> PLACEHOLDERS = java.util.List.of("{host}", "{port}", "{scheme}", "{database}", "{path}",
            "{username}", "{password}");

    /** Formats of the host, port and URL variables. */
    public record Formats(String host, String port, String url) {
    }

    /**
     * Secret name with {@code {release}} standing for the release name, and its keys; an empty
     * {@code usernameKey} means the user name is not in the Secret: clients get {@code username}.
     */
    public record Credentials(String secret, String usernameKey, String passwordKey, String username) {
    }

    /** NAME_OF_TARGET: upper case, '-' as '_'. */
    public static String envPrefix(String name) {
        return name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }
}
