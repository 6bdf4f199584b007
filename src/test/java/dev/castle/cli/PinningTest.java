package dev.castle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.load.Diagnostic;
import dev.castle.load.InvalidInputException;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;
import dev.castle.pin.DigestPinning;

/**
 * {@code generate --pin-digests} without a registry: every image given by tag gets its digest in the
 * base and in every environment, each reference is asked once, images with a digest are left
 * alone, an accepted latest is pinned too, and an image that cannot be pinned is reported at its
 * line and column.
 */
class PinningTest {
    private static final String DESCRIPTOR = """
            apiVersion: castle/v1alpha1
            kind: System
            metadata: {name: pins, version: 1.0.0}
            services:
              web:
                image: ghcr.io/acme/web:1.0.0
                ports: {http: 8080}
              api:
                image: ghcr.io/acme/web:1.0.0
                ports: {http: 8080}
              fixed:
                image: ghcr.io/acme/fixed:2.0.0@sha256:%s
                ports: {http: 8080}
              nightly:
                image: {registry: ghcr.io, repository: acme/nightly, tag: latest, acceptLatest: true}
                ports: {http: 8080}
            environments:
              dev:
                services:
                  web: {image: {tag: 1.1.0-rc.1}}
            """.formatted("cd".repeat(32));

    private static String digestOf(String text) {
        return "sha256:" + String.format("%064x", new java.math.BigInteger(1, text.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .substring(0, 64);
    }

    @Test
    void everyTaggedImageIsPinnedOnce(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("castle.yaml"), DESCRIPTOR);
        Pipeline.Checked checked = Pipeline.check(file, false);
        assertTrue(checked.warnings().stream().anyMatch(w -> w.problem().contains("'latest' is accepted but not reproducible")), checked.warnings()::toString);
        List<String> asked = new ArrayList<>();
        SystemModel pinned = Pinning.pin(file, checked.model(), (registry, repository, tag) -> {
            asked.add(registry + "/" + repository + ":" + tag);
            return digestOf(repository + tag);
        });
        assertEquals(List.of("ghcr.io/acme/web:1.0.0", "ghcr.io/acme/nightly:latest", "ghcr.io/acme/web:1.1.0-rc.1"), asked);
        assertEquals(digestOf("acme/web1.0.0"), image(pinned, "api").digest());
        assertEquals(digestOf("acme/web1.0.0"), image(pinned, "web").digest());
        assertEquals("sha256:" + "cd".repeat(32), image(pinned, "fixed").digest());
        assertEquals(digestOf("acme/nightlylatest"), image(pinned, "nightly").digest());
        assertEquals(Service.PullPolicy.Always, image(pinned, "nightly").pullPolicy(), "an accepted latest is pulled at every start");
        SystemModel dev = pinned.environments().get(0).model();
        assertEquals(digestOf("acme/web1.1.0-rc.1"), image(dev, "web").digest());
        assertEquals("ghcr.io/acme/web:1.1.0-rc.1@" + digestOf("acme/web1.1.0-rc.1"), image(dev, "web").reference());
    }

    @Test
    void anImageThatCannotBePinnedIsReportedAtItsPlace(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("castle.yaml"), DESCRIPTOR);
        SystemModel model = Pipeline.check(file, false).model();
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Pinning.pin(file, model, (registry, repository, tag) -> {
            if (repository.equals("acme/nightly")) {
                throw new DigestPinning.PinFailure("the registry has no tag 'latest' of acme/nightly");
            }
            return digestOf(tag);
        }));
        assertEquals(1, e.diagnostics().size(), e.diagnostics()::toString);
        Diagnostic d = e.diagnostics().get(0);
        assertEquals("15:12", d.position().line() + ":" + d.position().column(), d::format);
        assertTrue(d.problem().contains("--pin-digests cannot pin ghcr.io/acme/nightly:latest: the registry has no tag 'latest'"), d::format);
    }

    @Test
    void versionsArePinnedToo(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("castle.yaml"), """
                apiVersion: castle/v1alpha1
                kind: System
                metadata: {name: pins, version: 1.0.0}
                services:
                  reviews:
                    image: ghcr.io/acme/reviews:1.0.0
                    ports: {http: 8080}
                    versions: {v1: {}, v2: {image: {tag: 2.0.0}}}
                """);
        SystemModel pinned = Pinning.pin(file, Pipeline.check(file, false).model(), (registry, repository, tag) -> digestOf(repository + tag));
        List<String> references = pinned.service("reviews").orElseThrow().versions().orElseThrow().versions().stream()
                .map(v -> v.image().reference()).toList();
        assertEquals(List.of("ghcr.io/acme/reviews:1.0.0@" + digestOf("acme/reviews1.0.0"), "ghcr.io/acme/reviews:2.0.0@" + digestOf("acme/reviews2.0.0")),
                references);
    }

    private static Service.Image image(SystemModel model, String service) {
        return model.service(service).orElseThrow().container().image();
    }
}
