package dev.castle.model;

/** Parses {@code [registry/]repository[:tag][@digest]} as Docker does. */
public final class ImageReference {
    private ImageReference() {
    }

    public static Service.Image parse(String reference) {
        String rest = reference;
        String digest = "";
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
        }
        String tag = "";
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        String registry = ModelBinder.DEFAULT_REGISTRY;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first;
                rest = rest.substring(slash + 1);
            }
        }
        if (registry.equals(ModelBinder.DEFAULT_REGISTRY) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        return new Service.Image(registry, rest, tag, digest, "IfNotPresent");
    }
}
