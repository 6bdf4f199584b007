package dev.castle.publish;

import java.util.function.Supplier;

/**
 * One call into Helm's engine embedded in castle (helm-java). Helm reports a problem as an error
 * message (an {@link IllegalStateException}); it becomes a {@link PublishException} that says what
 * castle was doing and, for the usual registry problems, what to do about it.
 */
final class HelmCall {
    static final String LOGIN_HINT = "log in with helm registry login or docker login, or set "
            + "CASTLE_REGISTRY_USERNAME and CASTLE_REGISTRY_PASSWORD";

    private HelmCall() {
    }

    static <T> T run(String doing, Supplier<T> call) throws PublishException {
        try {
            return call.get();
        } catch (IllegalStateException e) {
            throw new PublishException(doing + ": " + explain(e.getMessage()), e);
        }
    }

    /** Whether Helm's error says the registry has no such manifest. */
    static boolean notFound(PublishException e) {
        String helm = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
        return helm != null && helm.strip().endsWith(": not found");
    }

    /** HTTP 401 in Helm's message: the status code, not digits of a port or a digest that contain 401. */
    private static final java.util.regex.Pattern UNAUTHORIZED = java.util.regex.Pattern.compile("(?<![:\\w])401(?!\\w)|(?i)unauthorized");

    static String explain(String message) {
        String m = message == null ? "(no message)" : message.strip();
        if (m.contains("failed to perform \"Tag\"") && m.endsWith("not found")) {
            return "the registry did not keep what it accepted (" + m + ")";
        }
        if (m.contains("server gave HTTP response to HTTPS client")) {
            return m + " (for a registry without TLS, add --plain-http)";
        }
        if (m.contains("x509:") || m.contains("tls: ") || m.contains("certificate")) {
            return m + " (name the registry's certificate authority with --ca-file, or add --insecure-skip-tls-verify)";
        }
        if (m.contains("connection refused") || m.contains("no such host") || m.contains("i/o timeout")
                || m.contains("connection reset")) {
            return "cannot connect: " + m;
        }
        if (UNAUTHORIZED.matcher(m).find()) {
            return m + " (" + LOGIN_HINT + ")";
        }
        if (m.contains("Content-Type") || m.contains("media type") || m.contains("descriptors") || m.contains("no Location header")
                || m.contains("response status code") || m.contains("invalid character") || m.contains("unexpected EOF")) {
            return "the server does not answer as an OCI registry does (" + m + ")";
        }
        return m;
    }
}
