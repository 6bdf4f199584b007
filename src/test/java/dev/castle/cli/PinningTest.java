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
        assertEquals(List.of("ghcr.io/acme/web:1.0.0", "ghcr.io/acme/nightly:latest", "docker.io/library/busybox:1.37.0", "ghcr.io/acme/web:1.1.0-rc.1"),
                asked, "each distinct reference once, base first, in the model's order; castle's own helper image too");
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
        assertTrue(d.problem().contains("--pin-digests cannot pin ghcr.io/acme/nightly:latest (the image of 'nightly'): the registry has no tag 'latest'"),
                d::format);
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

    /** Every kind of image castle writes, in the base and in an environment that changes some of them. */
    private static final String EVERY_IMAGE = """
            apiVersion: castle/v1alpha1
            kind: System
            metadata: {name: pins, version: 1.0.0}
            infrastructure:
              db: {type: postgresql, version: "17.2", metrics: true}
              cache: {type: redis, auth: none, metrics: true}
              queue: {type: rabbitmq, metrics: true}
              remote: {type: postgresql, mode: external, host: db.example.com, secret: {name: remote-db}}
              ledger: {type: postgresql, mode: operator, version: "16.6"}
              bus: {type: rabbitmq, mode: operator}
              events: {type: kafka, mode: operator}
            services:
              web:
                image: ghcr.io/acme/web:1.0.0
                ports: {http: 8080}
                dependsOn: [db, cache, queue, remote]
                canary: {image: {tag: 1.1.0}, weight: 10}
                hooks:
                  migrate: {when: [pre-upgrade], image: ghcr.io/acme/migrate:1.0.0}
                  smoke: {when: [post-install]}
                sidecars:
                  exporter: {image: "ghcr.io/acme/exporter:0.1.0", ports: {metrics: 9113}}
                initContainers:
                  clone: {image: "alpine/git:v2.47.1@sha256:%s"}
              reviews:
                image: ghcr.io/acme/reviews:1.0.0
                ports: {http: 8080}
                versions: {v1: {}, v2: {image: {tag: 2.0.0}}}
            environments:
              prod:
                infrastructure:
                  db: {version: "17.4"}
                services:
                  web: {image: {tag: 1.2.0}}
            """.formatted("ab".repeat(32));

    @Test
    void everyImageCastleWritesIsPinnedOnce(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("castle.yaml"), EVERY_IMAGE);
        List<String> asked = new ArrayList<>();
        SystemModel pinned = Pinning.pin(file, Pipeline.check(file, false).model(), (registry, repository, tag) -> {
            asked.add(registry + "/" + repository + ":" + tag);
            return digestOf(repository + tag);
        });
        assertEquals(List.of("ghcr.io/acme/reviews:1.0.0", "ghcr.io/acme/reviews:2.0.0", "ghcr.io/acme/web:1.0.0", "ghcr.io/acme/web:1.1.0",
                "ghcr.io/acme/migrate:1.0.0", "ghcr.io/acme/exporter:0.1.0", "docker.io/library/rabbitmq:4.0.5-management",
                "docker.io/library/redis:7.4.1", "docker.io/oliver006/redis_exporter:v1.67.0", "docker.io/library/postgres:17.2",
                "quay.io/prometheuscommunity/postgres-exporter:v0.16.0", "ghcr.io/cloudnative-pg/postgresql:16.6", "docker.io/library/rabbitmq:4.0.5", "docker.io/library/busybox:1.37.0", "docker.io/curlimages/curl:8.11.1",
                "ghcr.io/acme/web:1.2.0", "docker.io/library/postgres:17.4"), asked);
        assertEquals(asked.stream().distinct().toList(), asked, "each reference asked once");
        for (SystemModel model : List.of(pinned, pinned.environments().get(0).model())) {
            Service web = model.service("web").orElseThrow();
            List<Service.Image> images = new ArrayList<>(List.of(web.container().image(), web.canary().orElseThrow().image(),
                    model.helpers().tools(), model.helpers().credentialsJob()));
            web.operations().hooks().forEach(h -> images.add(h.image()));
            web.companions().sidecars().forEach(c -> images.add(c.image()));
            web.companions().initContainers().forEach(c -> images.add(c.image()));
            model.service("reviews").orElseThrow().versions().orElseThrow().versions().forEach(v -> images.add(v.image()));
            for (String name : List.of("db", "cache", "queue")) {
                dev.castle.model.Infrastructure infra = model.infrastructure(name).orElseThrow();
                images.add(infra.image());
                infra.server().exporter().ifPresent(images::add);
            }
            for (Service.Image image : images) {
                assertTrue(image.digest().startsWith("sha256:"), image::reference);
                if (!image.repository().equals("alpine/git")) {
                    assertEquals(digestOf(image.repository() + image.tag()), image.digest(), image::reference);
                }
            }
            assertEquals("sha256:" + "ab".repeat(32), web.companions().initContainers().get(0).image().digest(), "a written digest stays");
            assertEquals(15, images.size());
        }
        SystemModel prod = pinned.environments().get(0).model();
        assertEquals("ghcr.io/acme/web:1.2.0@" + digestOf("acme/web1.2.0"), prod.service("web").orElseThrow().container().image().reference());
        assertEquals(digestOf("library/postgres17.4"), prod.infrastructure("db").orElseThrow().image().digest());
        assertEquals("", pinned.infrastructure("remote").orElseThrow().image().digest(), "an external component runs no image");
        assertEquals("ghcr.io/cloudnative-pg/postgresql:16.6@" + digestOf("cloudnative-pg/postgresql16.6"),
                pinned.infrastructure("ledger").orElseThrow().image().reference(), "CloudNativePG's operand image, which castle writes");
        assertEquals("docker.io/library/rabbitmq:4.0.5-management@" + digestOf("library/rabbitmq4.0.5-management"),
                pinned.infrastructure("bus").orElseThrow().image().reference(), "the RabbitMQ Cluster Operator's image, which castle writes");
        assertEquals("", pinned.infrastructure("events").orElseThrow().image().digest(), "Strimzi picks Kafka's image from the version");
    }

    @Test
    void theImagesOfAComponentAndOfCastlesHelpersAreReportedWhereTheyCome(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("castle.yaml"), EVERY_IMAGE);
        SystemModel model = Pipeline.check(file, false).model();
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Pinning.pin(file, model, (registry, repository, tag) -> {
            if (repository.equals("library/busybox") || repository.contains("exporter") || tag.equals("17.4")) {
                throw new DigestPinning.PinFailure("not here");
            }
            return digestOf(tag);
        }));
        List<String> messages = e.diagnostics().stream().map(d -> d.position().line() + ":" + d.position().column() + " " + d.problem()).toList();
        assertEquals(List.of(
                "1:1 --pin-digests cannot pin docker.io/library/busybox:1.37.0 (castle's image of the dependency waits and helm tests): not here",
                "5:52 --pin-digests cannot pin quay.io/prometheuscommunity/postgres-exporter:v0.16.0 (the postgresql exporter of 'db'): not here",
                "6:45 --pin-digests cannot pin docker.io/oliver006/redis_exporter:v1.67.0 (the redis exporter of 'cache'): not here",
                "22:25 --pin-digests cannot pin ghcr.io/acme/exporter:0.1.0 (the image of the sidecar 'exporter' of 'web'): not here",
                "32:21 --pin-digests cannot pin docker.io/library/postgres:17.4 (the postgresql image of 'db'): not here"), messages,
                "at the environment's override when the environment changes the image");
    }

    private static Service.Image image(SystemModel model, String service) {
        return model.service(service).orElseThrow().container().image();
    }
}
