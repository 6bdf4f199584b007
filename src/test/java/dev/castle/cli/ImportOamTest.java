package dev.castle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/** castle import oam: components, traits and policies carried over; what does not map listed with its place. */
class ImportOamTest {
    @TempDir
    Path tmp;

    private static Path fixture(String name) {
        return CastleRun.projectDir().resolve("src/test/resources/imports/oam").resolve(name);
    }

    private CastleRun.Result importOk(Path file) {
        CastleRun.Result result = CastleRun.run("import", "oam", file.toString(), "-o", tmp.resolve("castle.yaml").toString());
        assertEquals(0, result.status(), result::toString);
        return result;
    }

    @Test
    void componentsTraitsAndPoliciesBecomeServicesFieldsAndEnvironments() throws Exception {
        Path app = fixture("bookstore.yaml");
        CastleRun.Result result = importOk(app);
        SystemModel model = Pipeline.model(tmp.resolve("castle.yaml"));
        assertEquals(List.of("catalog-db", "queue"), model.infrastructure().stream().map(i -> i.name()).toList());
        assertEquals(Service.WorkloadKind.Job, model.service("migrate").orElseThrow().workload());
        assertEquals(Service.WorkloadKind.CronJob, model.service("report").orElseThrow().workload());
        Service web = model.service("web").orElseThrow();
        assertEquals(dev.castle.model.Operations.Via.ingress, web.operations().expose().orElseThrow().via());
        assertEquals(List.of("books.example.com"), web.operations().expose().orElseThrow().hosts());
        assertEquals(6, model.service("catalog").orElseThrow().operations().autoscaling().orElseThrow().maxReplicas());
        assertEquals("DB_HOST", model.service("catalog").orElseThrow().dependsOn().get(0).env().host());
        assertEquals(List.of("queue"), model.service("mailer").orElseThrow().dependsOn().stream().map(d -> d.name()).toList());
        SystemModel.Environment production = model.environments().stream().filter(e -> e.name().equals("production")).findFirst().orElseThrow();
        assertEquals("bookstore", production.namespace());
        assertEquals(4, production.model().service("web").orElseThrow().scheduling().replicas());
        assertTrue(production.model().service("web").orElseThrow().container().image().reference().endsWith(":2.4.1-prod"));
        assertFalse(Files.readString(tmp.resolve("castle.yaml")).contains("not-for-git"), "a secret-looking value stays out");
        for (String expected : List.of(
                app + ":57:11: /spec/components/0/traits/4/type: unmapped: trait sidecar",
                app + ":83:11: /spec/components/1/traits/1/type: unmapped: trait init-container",
                app + ":127:9: /spec/policies/0/properties/clusters: unmapped",
                app + ":152:9: /spec/workflow/steps/1: unmapped: workflow step approve")) {
            assertTrue(result.err().contains(expected), "missing: " + expected + "\n" + result);
        }
    }

    @Test
    void theGettingStartedApplicationDeploysToTwoEnvironments() throws Exception {
        importOk(fixture("first-vela-app.yaml"));
        SystemModel model = Pipeline.model(tmp.resolve("castle.yaml"));
        assertEquals(List.of("deploy2default", "deploy2prod"), model.environments().stream().map(SystemModel.Environment::name).toList());
        assertEquals(3, model.environments().get(1).model().service("express-server").orElseThrow().scheduling().replicas());
        assertEquals(2, model.service("express-server").orElseThrow().scheduling().replicas());
    }

    @Test
    void notAnApplicationExitsTwoWithItsPlace() throws Exception {
        Path file = Files.writeString(tmp.resolve("app.yaml"), "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {}\n");
        CastleRun.Result result = CastleRun.run("import", "oam", file.toString(), "-o", tmp.resolve("castle.yaml").toString());
        assertEquals(2, result.status(), result::toString);
        CastleRun.assertNoStackTrace(result);
        assertTrue(result.err().contains(file + ":1:13: /apiVersion: not an OAM resource"), result::toString);
        assertTrue(result.err().contains(file + ":2:7: /kind: kind Deployment is not an Application"), result::toString);
        assertTrue(result.err().contains(file + ":4:7: /spec/components: an Application needs spec.components"), result::toString);
        assertFalse(Files.exists(tmp.resolve("castle.yaml")));
    }

    @Test
    void anUnknownComponentTypeIsListedNotDropped() throws Exception {
        Path file = Files.writeString(tmp.resolve("app.yaml"), String.join("\n",
                "apiVersion: core.oam.dev/v1beta1",
                "kind: Application",
                "metadata: {name: mixed}",
                "spec:",
                "  components:",
                "    - name: api",
                "      type: webservice",
                "      properties: {image: ghcr.io/acme/api:1.2.3, ports: [{port: 80, expose: true}], hostAliases: []}",
                "    - name: chart",
                "      type: helm",
                "      properties: {chart: redis}",
                ""));
        CastleRun.Result result = importOk(file);
        assertTrue(result.err().contains(file + ":10:7: /spec/components/1/type: unmapped: component type helm"), result::toString);
        assertTrue(result.err().contains(file + ":8:86: /spec/components/0/properties/hostAliases: unmapped"), result::toString);
    }
}
