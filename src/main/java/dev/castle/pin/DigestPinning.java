package dev.castle.pin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.castle.model.Service;
import dev.castle.model.SystemModel;
import dev.castle.model.Versions;

/**
 * {@code castle generate --pin-digests}: between the rules and the plan, every image of a service or
 * of one of its versions with a tag and no digest gets the digest its registry serves for the tag
 * now (in the base and every environment; each reference asked once), so the chart runs
 * {@code repository:tag@sha256:...}.
 */
public final class DigestPinning {
    /** How a tag becomes a digest: a registry, or a fake in tests. */
    public interface Resolver {
        String digest(String registry, String repository, String tag) throws PinFailure;
    }

    /** A tag that could not be resolved, with the reason. */
    public static final class PinFailure extends Exception {
        public PinFailure(String message) {
            super(message);
        }
    }

    /** An image that could not be pinned: where the descriptor names it, the reference, the reason. */
    public record Unpinned(String pointer, String reference, String reason) {
    }

    /** The system with pinned images, or the images that could not be pinned. */
    public record Result(SystemModel model, List<Unpinned> failures) {
    }

    private DigestPinning() {
    }

    public static Result pin(SystemModel system, Resolver resolver) {
        Map<String, Object> resolved = new LinkedHashMap<>();
        List<Unpinned> failures = new java.util.ArrayList<>();
        java.util.function.BiFunction<Service.Image, String, Service.Image> pinImage = (image, pointer) -> {
            if (image.tag().isEmpty() || !image.digest().isEmpty() || image.repository().isEmpty()) {
                return image;
            }
            String reference = image.reference();
            Object digest = resolved.computeIfAbsent(reference, r -> {
                try {
                    return resolver.digest(image.registry(), image.repository(), image.tag());
                } catch (PinFailure e) {
                    failures.add(new Unpinned(pointer, reference, e.getMessage()));
                    return e;
                }
            });
            return digest instanceof String d ? image.withDigest(d) : image;
        };
        java.util.function.UnaryOperator<Service> pin = s -> s.withImage(pinImage.apply(s.container().image(), s.declared().at("image")))
                .withVersions(s.versions().map(v -> new Versions(v.routing(), v.versions().stream().map(version -> new Versions.Version(version.name(),
                        pinImage.apply(version.image(), s.declared().at("versions/" + version.name() + "/image")), version.env(), version.replicas(),
                        version.weight(), version.headers(), version.calls())).toList())));
        SystemModel pinned = system.withServices(pin);
        return new Result(pinned, List.copyOf(failures));
    }
}
