package dev.castle.publish;

import java.util.regex.Pattern;

/**
 * An OCI registry location for charts, {@code oci://host[:port][/path]}, as {@code helm push}
 * takes it: a chart {@code shop} goes to the repository {@code path/shop}, tagged with its version
 * ({@code +} becomes {@code _}, as Helm does, since tags cannot hold a plus).
 */
public record OciReference(String registry, String namespace) {
    private static final Pattern HOST = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]{1,5})?");
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    /** Whether the text names an OCI registry ({@code oci://...}). */
    public static boolean isOci(String text) {
        return text.startsWith("oci://");
    }

    public static OciReference parse(String text) throws PublishException {
        if (!isOci(text)) {
            throw new PublishException(text + " is not an OCI reference (oci://host[:port]/path)");
        }
        String rest = text.substring("oci://".length());
        while (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        int slash = rest.indexOf('/');
        String host = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        if (!HOST.matcher(host).matches()) {
            throw new PublishException(text + ": \"" + host + "\" is not a registry host[:port]");
        }
        if (path.contains(":") || path.contains("@")) {
            throw new PublishException(text + ": give the repository without a tag or digest; castle tags the chart with its version");
        }
        if (!path.isEmpty()) {
            for (String component : path.split("/", -1)) {
                if (!PATH_COMPONENT.matcher(component).matches()) {
                    throw new PublishException(text + ": \"" + component
                            + "\" is not a valid repository name component (lower case letters, digits, and . _ - between them)");
                }
            }
        }
        return new OciReference(host, path);
    }

    /** The repository of a chart: {@code namespace/name}. */
    public String repository(String chartName) {
        return namespace.isEmpty() ? chartName : namespace + "/" + chartName;
    }

    /** The tag of a chart version, as Helm tags it. */
    public static String tag(String version) throws PublishException {
        String tag = version.replace('+', '_');
        if (!TAG.matcher(tag).matches()) {
            throw new PublishException("version " + version + " cannot be an OCI tag");
        }
        return tag;
    }

    /** {@code oci://registry/namespace/name}, as {@code helm pull} and {@code helm install} take it. */
    public String chartUrl(String chartName) {
        return "oci://" + registry + "/" + repository(chartName);
    }
}
