package dev.castle.rules;

import java.util.List;
import java.util.regex.Pattern;

import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/** Images: a valid reference, pinned to a version (a tag other than latest, or a digest; latest only when accepted, with a warning). */
final class ImageRules {
    private static final Pattern REGISTRY = Pattern.compile("^[a-zA-Z0-9.-]+(:[0-9]+)?$");
    private static final Pattern REPOSITORY = Pattern.compile("^[a-z0-9]+([._-]*[a-z0-9]+)*(/[a-z0-9]+([._-]*[a-z0-9]+)*)*$");
    private static final Pattern DIGEST = Pattern.compile("^[a-z0-9]+:[a-f0-9]{32,}$");

    static final List<Rule.OfService> SERVICE = List.of(ImageRules::referenceIsValid, ImageRules::imageIsPinned);

    private ImageRules() {
    }

    static void referenceIsValid(Service s, SystemModel system, Findings out) {
        if (!s.declared().has("image")) {
            return;
        }
        Service.Image image = s.container().image();
        String at = s.declared().at("image");
        if (s.declared().text("image").isPresent()) {
            if (!REGISTRY.matcher(image.registry()).matches() || !REPOSITORY.matcher(image.repository()).matches()) {
                out.error(at, "'" + s.declared().text("image").orElseThrow() + "' is not a valid image reference",
                        "registry/repository:tag, such as ghcr.io/acme/frontend:1.4.2 (repository in lowercase)");
                return;
            }
            if (!image.digest().isEmpty() && !DIGEST.matcher(image.digest()).matches()) {
                out.error(at, "'" + image.digest() + "' is not a valid image digest", "sha256: followed by 64 hex digits");
            }
        }
    }

    static void imageIsPinned(Service s, SystemModel system, Findings out) {
        if (!s.declared().has("image")) {
            return;
        }
        pinned(s.container().image(), s.declared().at("image"), s.declared().text("image/acceptLatest").filter("true"::equals).isPresent(), out);
    }

    /** An image pinned to a version: a tag other than latest, or a digest. */
    static void pinned(Service.Image image, String at, Findings out) {
        pinned(image, at, false, out);
    }

    /** An image pinned to a version; with {@code acceptLatest} the tag latest is a warning. */
    static void pinned(Service.Image image, String at, boolean acceptLatest, Findings out) {
        if (image.tag().isEmpty() && image.digest().isEmpty()) {
            out.error(at, "the image has neither a tag nor a digest", "pin a version: repository:1.2.3 or repository@sha256:...");
        } else if (image.tag().equals("latest") && image.digest().isEmpty()) {
            if (acceptLatest) {
                out.warning(at, "the image tag 'latest' is accepted but not reproducible: each node may run another image",
                        "castle generate --pin-digests pins the digest the registry serves now, or pin a version");
            } else {
                out.error(at, "the image tag 'latest' is not reproducible", "pin a version, such as 1.4.2, or a digest;"
                        + " or accept it with {repository, tag: latest, acceptLatest: true} and pin it with castle generate --pin-digests");
            }
        }
    }
}
