package dev.castle.rules;

import java.util.List;
import java.util.regex.Pattern;

import dev.castle.model.Declared;
import dev.castle.model.Infrastructure;
import dev.castle.model.Operations;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * Images: a valid reference (registry, repository in lowercase, a tag of at most 128 characters,
 * a digest), pinned to a version (a tag other than latest, or a digest; latest only when accepted, with a warning); the same for the
 * canary's, the hooks' and the components' images.
 */
final class ImageRules {
    private static final Pattern REGISTRY = Pattern.compile("^[a-zA-Z0-9.-]+(:[0-9]+)?$");
    private static final Pattern REPOSITORY = Pattern.compile("^[a-z0-9]+([._-]*[a-z0-9]+)*(/[a-z0-9]+([._-]*[a-z0-9]+)*)*$");
    private static final Pattern TAG = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$");
    private static final Pattern DIGEST = Pattern.compile("^[a-z0-9]+:[a-f0-9]{32,}$");

    static final List<Rule.OfService> SERVICE = List.of(ImageRules::referenceIsValid, ImageRules::imageIsPinned,
            ImageRules::otherImagesAreValid);
    static final List<Rule.OfInfrastructure> INFRASTRUCTURE = List.of(ImageRules::componentImageIsPinned);

    private ImageRules() {
    }

    static void referenceIsValid(Service s, SystemModel system, Findings out) {
        valid(s.declared(), "image", s.container().image(), out);
    }

    /** The canary's image and the hooks' images, where written as a reference. */
    static void otherImagesAreValid(Service s, SystemModel system, Findings out) {
        s.canary().ifPresent(c -> {
            if (valid(s.declared(), "canary/image", c.image(), out)) {
                pinned(s.declared(), "canary/image", c.image(), out);
            }
        });
        for (Operations.Hook hook : s.operations().hooks()) {
            String at = "hooks/" + hook.name() + "/image";
            if (valid(s.declared(), at, hook.image(), out)) {
                pinned(s.declared(), at, hook.image(), out);
            }
        }
    }

    /** Checks a reference written as text; true when there is nothing wrong with it (or it is not written as text). */
    private static boolean valid(Declared declared, String key, Service.Image image, Findings out) {
        String at = declared.at(key);
        if (declared.text(key).isEmpty()) {
            return true;
        }
        String written = declared.text(key).orElseThrow();
        if (!REGISTRY.matcher(image.registry()).matches() || !REPOSITORY.matcher(image.repository()).matches()) {
            out.error(at, "'" + written + "' is not a valid image reference",
                    "registry/repository:tag, such as ghcr.io/acme/frontend:1.4.2 (repository in lowercase)");
            return false;
        }
        if (!image.tag().isEmpty() && !TAG.matcher(image.tag()).matches()) {
            out.error(at, "the tag '" + abbreviated(image.tag()) + "' is not a valid image tag" + (image.tag().length() > 128
                    ? " (" + image.tag().length() + " characters)" : ""), "at most 128 letters, digits, '_', '.' and '-', not beginning with '.' or '-'");
            return false;
        }
        if (!image.digest().isEmpty() && !DIGEST.matcher(image.digest()).matches()) {
            out.error(at, "'" + image.digest() + "' is not a valid image digest", "sha256: followed by 64 hex digits");
            return false;
        }
        return true;
    }

    private static String abbreviated(String text) {
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }

    static void imageIsPinned(Service s, SystemModel system, Findings out) {
        if (s.declared().has("image")) {
            pinned(s.declared(), "image", s.container().image(), out);
        }
    }

    /** A component's version or image: the official images' latest moves under a running database. */
    static void componentImageIsPinned(Infrastructure c, SystemModel system, Findings out) {
        String key = c.declared().has("image") ? "image" : "version";
        if (c.mode() == Infrastructure.Mode.embedded && c.declared().has(key) && valid(c.declared(), key, c.image(), out)) {
            pinned(c.declared(), key, c.image(), out);
        }
    }

    private static void pinned(Declared declared, String key, Service.Image image, Findings out) {
        pinned(image, declared.at(key), declared.text(key + "/acceptLatest").filter("true"::equals).isPresent(), out);
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
