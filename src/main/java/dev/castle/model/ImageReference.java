package dev.castle.model;

import dev.castle.validate.ImageParts;

/** Parses {@code [registry/]repository[:tag][@digest]} as Docker does. */
public final class ImageReference {
    private ImageReference() {
    }

    public static Service.Image parse(String reference) {
        ImageParts parts = ImageParts.parse(reference);
        return new Service.Image(parts.registry(), parts.repository(), parts.tag(), parts.digest(), "IfNotPresent");
    }
}
