package dev.castle.pin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * {@code castle generate --pin-digests}: between the rules and the plan, every image castle writes
 * (see {@link SystemModel#withImages}: services, canaries, versions, hooks, sidecars, init
 * containers, embedded components and their exporters, castle's own helper images) that has a tag
 * and no digest gets the digest its registry serves for the tag now, in the base and every
 * environment, so the charts run {@code repository:tag@sha256:...}. Each distinct reference is asked
 * once, in the order the model lists them.
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

    /** An image that could not be pinned: where the descriptor names it, the reference, what runs it, the reason. */
    public record Unpinned(String pointer, String reference, String what, String reason) {
    }

    /** The system with pinned images, or the images that could not be pinned. */
    public record Result(SystemModel model, List<Unpinned> failures) {
    }

    /** A reference to ask for, with the first place that names it. */
    private record Wanted(String pointer, String what, Service.Image image) {
    }

    private DigestPinning() {
    }

    /** Whether an image is written by tag alone (no digest): those are pinned. */
    static boolean byTag(Service.Image image) {
        return !image.tag().isEmpty() && image.digest().isEmpty() && !image.repository().isEmpty();
    }

    public static Result pin(SystemModel system, Resolver resolver) {
        Map<String, Wanted> wanted = new LinkedHashMap<>();
        system.withImages((pointer, what, image) -> {
            if (byTag(image)) {
                wanted.putIfAbsent(image.reference(), new Wanted(pointer, what, image));
            }
            return image;
        });
        Map<String, String> digests = new LinkedHashMap<>();
        List<Unpinned> failures = new ArrayList<>();
        wanted.forEach((reference, w) -> {
            try {
                digests.put(reference, resolver.digest(w.image().registry(), w.image().repository(), w.image().tag()));
            } catch (PinFailure e) {
                failures.add(new Unpinned(w.pointer(), reference, w.what(), e.getMessage()));
            }
        });
        SystemModel pinned = system.withImages((pointer, what, image) -> {
            String digest = byTag(image) ? digests.get(image.reference()) : null;
            return digest == null ? image : image.withDigest(digest);
        });
        return new Result(pinned, List.copyOf(failures));
    }
}
