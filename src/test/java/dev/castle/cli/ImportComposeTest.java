package dev.castle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * castle import compose as a user meets it: each Compose project of the fixtures becomes a
 * descriptor that castle validates, with the facts the source says (edges, start-up waits,
 * credentials kept out, profiles as environments, merged files), and every field castle cannot
 * express reported at its line and column; broken Compose files exit 2 with located messages.
 */
class ImportComposeTest {
    @TempDir
    Path tmp;

    private static Path fixture(String project) {
        return CastleRun.projectDir().resolve("src/test/resources/imports/compose").resolve(project);
    }

    private CastleRun.Result importOk(String... files) {
        String[] args = new String[files.length + 4];
        args[0] = "import";
        args[1] = "compose";
        System.arraycopy(files, 0, args, 2, files.length);
        args[files.length + 2] = "-o";
        args[files.length + 3] = tmp.resolve("castle.yaml").toString();
        CastleRun.Result result = CastleRun.run(args);
        assertEquals(0, result.status(), result::toString);
        CastleRun.assertNoStackTrace(result);
        return result;
    }

    private SystemModel model() throws Exception {
        return Pipeline.model(tmp.resolve("castle.yaml"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"voting-app", "nginx-flask-mysql", "wordpress", "sock-shop"})
    void eachProjectBecomesADescriptorThatValidates(String project) throws Exception {
        Path file = fixture(project).resolve("compose.yaml");
        importOk((Files.exists(file) ? file : fixture(project).resolve("docker-compose.yml")).toString());
        CastleRun.Result validate = CastleRun.run("validate", tmp.resolve("castle.yaml").toString());
        assertEquals(0, validate.status(), validate::toString);
        String text = Files.readString(tmp.resolve("castle.yaml"));
        assertTrue(text.startsWith("# yaml-language-server: $schema=castle.schema.json\n"), text);
        assertTrue(Files.isRegularFile(tmp.resolve("castle.schema.json")));
    }

    @Test
    void votingAppKeepsItsGraphStartupWaitsAndProfiles() throws Exception {
        CastleRun.Result result = importOk(fixture("voting-app").resolve("compose.yaml").toString());
        SystemModel model = model();
        assertEquals(List.of("db", "redis"), model.infrastructure().stream().map(i -> i.name()).sorted().toList());
        Service vote = model.service("vote").orElseThrow();
        assertEquals(List.of("redis"), vote.dependsOn().stream().map(d -> d.name()).toList());
        assertTrue(vote.dependsOn().get(0).startup(), "condition: service_healthy waits at start-up");
        assertEquals(List.of("redis", "db"), model.service("worker").orElseThrow().dependsOn().stream().map(d -> d.name()).toList());
        assertEquals(Service.WorkloadKind.Job, model.service("seed").orElseThrow().workload());
        // the healthcheck became probes, with its timing
        assertEquals(List.of("curl", "-f", "http://localhost"), vote.container().probes().readiness().orElseThrow().handler()
                instanceof dev.castle.model.Service.Exec exec ? exec.command() : null);
        // profiles: default runs without seed, seed with it
        SystemModel.Environment byDefault = model.environments().stream().filter(e -> e.name().equals("default")).findFirst().orElseThrow();
        SystemModel.Environment seed = model.environments().stream().filter(e -> e.name().equals("seed")).findFirst().orElseThrow();
        assertEquals(List.of("seed"), byDefault.disabled());
        assertEquals(List.of(), seed.disabled());
        // build-only services: a placeholder and a located warning
        assertTrue(result.err().contains("voting-app/compose.yaml:6:5: /services/vote/build: changed: 'vote' is built from source"),
                result::toString);
        assertTrue(vote.container().image().reference().startsWith("replace.me/voting-app/vote:"), vote.container().image().reference());
        // the bind mount is listed, not dropped
        assertTrue(result.err().contains("voting-app/compose.yaml:19:9: /services/vote/volumes/0: unmapped: bind mount of ./vote"),
                result::toString);
        // and the same list heads the file
        assertTrue(Files.readString(tmp.resolve("castle.yaml")).contains("#   " + fixture("voting-app").resolve("compose.yaml")
                + ":19:9: /services/vote/volumes/0: unmapped"));
    }

    @Test
    void whatTheComposeFileDoesNotSayIsReported() throws Exception {
        Path file = fixture("sock-shop").resolve("docker-compose.yml");
        CastleRun.Result result = importOk(file.toString());
        SystemModel model = model();
        assertEquals(12, model.services().size());
        assertEquals(List.of("carts-db", "orders-db", "rabbitmq"), model.infrastructure().stream().map(i -> i.name()).sorted().toList());
        for (String expected : List.of(
                file + ":17:5: /services/edge-router: todo: nothing in the Compose file says who calls 'edge-router'",
                file + ":65:5: /services/carts-db/image: changed: 'carts-db' runs mongodb 3.4",
                file + ":116:9: /services/queue-master/volumes/0: unmapped: bind mount of /var/run/docker.sock",
                file + ":156:9: /services/user/environment/MONGO_HOST: changed: MONGO_HOST refers to 'user-db', which has no port",
                file + ":175:5: /services/user-sim/hostname: unmapped")) {
            assertTrue(result.err().contains(expected), "missing: " + expected + "\n" + result);
        }
        assertFalse(result.err().contains("/services/carts/hostname"), "a host name equal to the service's name says nothing");
    }

    @Test
    void credentialsOfADatastoreBecomeInjectedVariablesAndNeverReachTheDescriptor() throws Exception {
        importOk(fixture("wordpress").resolve("compose.yaml").toString());
        String text = Files.readString(tmp.resolve("castle.yaml"));
        assertFalse(text.contains("somewordpress"), "the root password stays out:\n" + text);
        SystemModel model = model();
        var db = model.service("wordpress").orElseThrow().dependsOn().get(0);
        assertEquals("db", db.name());
        assertEquals("WORDPRESS_DB_HOST", db.env().host());
        assertEquals("WORDPRESS_DB_USER", db.env().username());
        assertEquals("WORDPRESS_DB_PASSWORD", db.env().password());
        assertEquals("wordpress", model.infrastructure("db").orElseThrow().username());
        assertTrue(model.service("wordpress").orElseThrow().container().env().stream().noneMatch(e -> e.name().equals("WORDPRESS_DB_PASSWORD")));
    }

    @Test
    void severalFilesMergeAsDockerComposeDoesAndVariablesComeFromDotEnv() throws Exception {
        Path project = fixture("boutique");
        importOk(project.resolve("compose.yaml").toString(), project.resolve("compose.override.yaml").toString());
        SystemModel model = model();
        assertEquals(11, model.services().size());
        Service frontend = model.service("frontend").orElseThrow();
        assertEquals(3, frontend.scheduling().replicas(), "replicas from the override file");
        assertEquals("256Mi", frontend.container().resources().limits().get("memory"));
        assertTrue(frontend.container().image().reference().endsWith("frontend:v0.10.2"), "${TAG} from .env: " + frontend.container().image().reference());
        assertEquals(1, model.service("cartservice").orElseThrow().ports().size(), "a port listed in both files once");
        assertEquals("PRODUCT_CATALOG_SERVICE_ADDR", frontend.dependsOn().get(0).env().url());
        assertTrue(model.service("currencyservice").orElseThrow().container().env().stream().anyMatch(e -> e.name().equals("DISABLE_PROFILER")),
                "merge keys (<<: *profiler) are expanded");
    }

    @Test
    void composeSecretsBecomeKeysOfOneSecretInTheFolderOrAtTheirOwnPaths() throws Exception {
        Path compose = Files.writeString(tmp.resolve("compose.yaml"), String.join("\n",
                "services:",
                "  app:",
                "    image: ghcr.io/acme/app:1.0.0",
                "    ports: [\"8080:8080\"]",
                "    secrets:",
                "      - db_password",
                "      - {source: tls_key, target: /etc/app/tls/key.pem}",
                "      - {source: api_token, target: token}",
                "secrets:",
                "  db_password: {file: ./db_password.txt}",
                "  tls_key: {file: ./key.pem}",
                "  api_token: {file: ./token.txt}",
                ""));
        CastleRun.Result result = importOk(compose.toString());
        assertTrue(result.err().contains("kubectl create secret generic app-secrets --from-file=db_password=./db_password.txt"
                + " --from-file=tls_key=./key.pem --from-file=token=./token.txt"), result::toString);
        assertTrue(result.err().contains("mounted at /run/secrets, tls_key as the file /etc/app/tls/key.pem"), result::toString);
        Service app = model().services().get(0);
        Service.SecretRef secret = app.configuration().secrets().get(0);
        assertEquals("app-secrets", secret.name());
        assertEquals(java.util.Optional.of("/run/secrets"), secret.mountPath());
        assertEquals(java.util.Map.of("tls_key", "/etc/app/tls/key.pem"), secret.mounts());
        assertEquals(0, CastleRun.run("validate", tmp.resolve("castle.yaml").toString()).status());
    }

    @Test
    void everyFieldCastleCannotExpressIsReportedWithItsPosition() throws Exception {
        Path compose = Files.writeString(tmp.resolve("compose.yaml"), String.join("\n",
                "services:",                                   // 1
                "  app:",                                      // 2
                "    image: ghcr.io/acme/app:1.0.0",           // 3
                "    privileged: true",                        // 4
                "    network_mode: host",                      // 5
                "    labels: [traefik.enable=true]",           // 6
                "    logging: {driver: syslog}",               // 7
                "    extra_hosts: [\"db.local:10.0.0.5\"]",    // 8
                "    ulimits: {nofile: 65535}",                // 9
                "    cap_add: [SYS_ADMIN]",                    // 10
                "    ports: [\"9000-9002:9000-9002\", \"8080\"]", // 11
                "    environment: [FROM_SHELL]",               // 12
                "    x-note: hello",                           // 13
                "    working_dir: /srv",                       // 14
                "    user: app",                               // 15
                "    volumes: [\"./conf:/etc/app:ro\"]",       // 16
                "x-top: {a: 1}",                               // 17
                ""));
        CastleRun.Result result = importOk(compose.toString());
        String f = compose.toString();
        for (String expected : List.of(
                f + ":4:5: /services/app/privileged: unmapped",
                f + ":5:5: /services/app/network_mode: unmapped",
                f + ":6:5: /services/app/labels: unmapped",
                f + ":7:5: /services/app/logging: unmapped",
                f + ":8:5: /services/app/extra_hosts: unmapped",
                f + ":9:5: /services/app/ulimits: unmapped",
                f + ":10:15: /services/app/cap_add/0: unmapped: capability SYS_ADMIN",
                f + ":11:13: /services/app/ports/0: unmapped: port 9000-9002:9000-9002",
                f + ":12:19: /services/app/environment/FROM_SHELL: unmapped",
                f + ":13:5: /services/app/x-note: unmapped",
                f + ":14:5: /services/app/working_dir: unmapped",
                f + ":15:5: /services/app/user: unmapped",
                f + ":16:15: /services/app/volumes/0: unmapped: bind mount",
                f + ":17:1: /x-top: unmapped")) {
            assertTrue(result.err().contains(expected), "missing: " + expected + "\n" + result);
        }
        assertEquals(0, CastleRun.run("validate", tmp.resolve("castle.yaml").toString()).status());
    }

    @Test
    void aComposeFileTheSpecificationRefusesExitsTwoWithItsPlaceAndWritesNothing() throws Exception {
        Path compose = Files.writeString(tmp.resolve("compose.yaml"), String.join("\n",
                "services:",
                "  web:",
                "    imagee: nginx:1.27",
                "    ports: {http: 80}",
                "  db:",
                "    image: postgres:16",
                "    restart: sometimes",
                ""));
        CastleRun.Result result = CastleRun.run("import", "compose", compose.toString(), "-o", tmp.resolve("castle.yaml").toString());
        assertEquals(2, result.status(), result::toString);
        CastleRun.assertNoStackTrace(result);
        assertTrue(result.err().contains(compose + ":3:5: /services/web/imagee:"), result::toString);
        assertTrue(result.err().contains(compose + ":4:12: /services/web/ports:"), result::toString);
        assertFalse(Files.exists(tmp.resolve("castle.yaml")));
    }

    @Test
    void brokenYamlMissingFilesAndUnsetRequiredVariablesExitTwo() throws Exception {
        Path broken = Files.writeString(tmp.resolve("broken.yaml"), "services:\n  web:\n    image: [nginx\n");
        CastleRun.Result yaml = CastleRun.run("import", "compose", broken.toString(), "-o", tmp.resolve("a.yaml").toString());
        assertEquals(2, yaml.status(), yaml::toString);
        assertTrue(yaml.err().contains(broken + ":"), yaml::toString);
        CastleRun.Result missing = CastleRun.run("import", "compose", tmp.resolve("nope.yaml").toString(), "-o", tmp.resolve("b.yaml").toString());
        assertEquals(2, missing.status(), missing::toString);
        assertTrue(missing.err().contains("nope.yaml:1:1: /: file not found"), missing::toString);
        Path required = Files.writeString(tmp.resolve("required.yaml"), "services:\n  web:\n    image: \"nginx:${CASTLE_TEST_UNSET_TAG:?give a tag}\"\n");
        CastleRun.Result unset = CastleRun.run("import", "compose", required.toString(), "-o", tmp.resolve("c.yaml").toString());
        assertEquals(2, unset.status(), unset::toString);
        assertTrue(unset.err().contains(required + ":3:12: /services/web/image: required variable CASTLE_TEST_UNSET_TAG is not set: give a tag"),
                unset::toString);
        CastleRun.assertNoStackTrace(unset);
        assertFalse(Files.exists(tmp.resolve("a.yaml")) || Files.exists(tmp.resolve("b.yaml")) || Files.exists(tmp.resolve("c.yaml")));
    }

    @Test
    void anExistingDescriptorIsNeverOverwrittenWithoutForce() throws Exception {
        Path target = Files.writeString(tmp.resolve("castle.yaml"), "# mine\n");
        String compose = fixture("wordpress").resolve("compose.yaml").toString();
        CastleRun.Result refused = CastleRun.run("import", "compose", compose, "-o", target.toString());
        assertEquals(2, refused.status(), refused::toString);
        assertEquals("# mine\n", Files.readString(target));
        CastleRun.Result forced = CastleRun.run("import", "compose", compose, "-o", target.toString(), "--force");
        assertEquals(0, forced.status(), forced::toString);
        CastleRun.Result stdout = CastleRun.run("import", "compose", compose, "-o", "-");
        assertEquals(0, stdout.status(), stdout::toString);
        assertTrue(stdout.out().contains("apiVersion: castle/v1alpha1"), stdout::toString);
    }

    @Test
    void unsetVariablesBecomeEmptyAndAreReported() throws Exception {
        Path compose = Files.writeString(tmp.resolve("compose.yaml"),
                "services:\n  web:\n    image: \"ghcr.io/acme/web:1.0${CASTLE_TEST_UNSET_SUFFIX}\"\n    environment:\n      A: \"${CASTLE_TEST_UNSET_A:-fallback}\"\n");
        CastleRun.Result result = importOk(compose.toString());
        assertTrue(result.err().contains("variables without a value became empty, as docker compose does: CASTLE_TEST_UNSET_SUFFIX"),
                result::toString);
        assertTrue(model().service("web").orElseThrow().container().env().stream().anyMatch(e -> e instanceof Service.Literal l
                && l.name().equals("A") && l.value().equals("fallback")));
    }
}
