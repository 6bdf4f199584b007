package dev.castle.imports;

import java.util.Optional;

/**
 * An image reference split as Docker reads it: {@code redis} is {@code docker.io/library/redis},
 * the first path part is a registry only when it has a '.' or ':' or is {@code localhost}.
 */
record ImageRef(String registry, String repository, Optional<String> tag, Optional<String> digest) {

    static ImageRef parse(String reference) {
        String rest = reference.trim();
        Optional<String> digest = Optional.empty();
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = Optional.of(rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        String registry = "docker.io";
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first;
                rest = rest.substring(slash + 1);
            }
        }
        Optional<String> tag = Optional.empty();
        int colon = rest.lastIndexOf(':');
        if (colon > 0 && !rest.substring(colon).contains("/")) {
            tag = Optional.of(rest.substring(colon + 1));
            rest = rest.substring(0, colon);
        }
        if (registry.equals("docker.io") && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        return new ImageRef(registry, rest.toLowerCase(java.util.Locale.ROOT), tag, digest);
    }

    /** Pinned: a tag other than latest, or a digest. */
    boolean pinned() {
        return digest.isPresent() || tag.filter(t -> !t.equals("latest")).isPresent();
    }

    String text() {
        return registry + "/" + repository + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
    }
}
