package dev.castle.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.castle.load.ConfigFileReader;
import dev.castle.load.DescriptorLoader;
import dev.castle.load.Node;
import dev.castle.merge.EnvironmentMerge;
import dev.castle.model.ModelBinder;
import dev.castle.model.SystemModel;

/**
 * Environments that override a service's egress and an embedded server's args, env and config
 * files (the test descriptor environment-overrides.yaml): values-<env>.yaml holds exactly what
 * differs, and the parent chart has the host-name egress template although only an environment
 * names hosts. Without Helm; ChartToolsTest renders the same descriptor with Helm 3 and 4.
 */
class EnvironmentOverridesTest {
    private static final Path DESCRIPTOR = Path.of("src/test/resources/descriptors/valid/environment-overrides.yaml");

    private static SystemModel model() throws Exception {
        Node root = new DescriptorLoader().load(DESCRIPTOR);
        return new ModelBinder(new ConfigFileReader(DESCRIPTOR.getParent())).bind(root, EnvironmentMerge.environments(root));
    }

    private static SystemModel.Environment environment(SystemModel system, String name) {
        return system.environments().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> values, String... path) {
        Map<String, Object> current = values;
        for (String key : path) {
            current = (Map<String, Object>) current.get(key);
            if (current == null) {
                return Map.of();
            }
        }
        return current;
    }

    @Test
    void onlyWhatTheEnvironmentChangesIsInItsValues() throws Exception {
        SystemModel system = model();
        Map<String, Object> prod = EnvironmentValuesContributor.of(system, environment(system, "prod"));
        assertEquals(List.of("-c", "max_connections=200", "-c", "shared_buffers=256MB"), at(prod, "ledger-db").get("args"), "args replace the base's");
        assertEquals(Map.of("PGTZ", "UTC"), at(prod, "ledger-db").get("env"), "env merges: the base's TZ stays in values.yaml");
        assertTrue(((String) at(prod, "orders-db", "config", "files").get("prod.cnf")).contains("max_connections = 200"));
        assertTrue(((String) at(prod, "cache", "config", "files").get("redis.conf")).contains("maxmemory 32mb"));
        assertEquals(java.util.Set.of("provider"), at(prod, "externalEgress", "destinations", "payments").keySet(),
                "the host name only production's provider has");
        assertFalse(prod.containsKey("web"), "a service the environment leaves alone");
        String policies = String.valueOf(at(prod, "networkPolicies", "components", "payments").get("egress"));
        assertTrue(policies.contains("192.0.2.10/32") && policies.contains("UDP") && policies.contains("192.0.2.0/24"), policies);

        Map<String, Object> staging = EnvironmentValuesContributor.of(system, environment(system, "staging"));
        assertEquals(List.of("--maxmemory", "16mb"), at(staging, "cache").get("args"));
        String stagingPolicies = String.valueOf(at(staging, "networkPolicies", "components", "payments").get("egress"));
        assertTrue(stagingPolicies.contains("198.51.100.0/24") && stagingPolicies.contains("8443"), stagingPolicies);
        assertFalse(staging.containsKey("externalEgress"), "no host names in staging");
    }

    @Test
    void theParentChartCanRenderHostNamesAnEnvironmentAdds() throws Exception {
        SystemModel system = model();
        assertTrue(system.services().stream().allMatch(s -> s.network().egress().stream().allMatch(e -> e.hosts().isEmpty())), "the base names no hosts");
        assertTrue(EgressValues.present(system));
        Map<String, Object> base = ParentChartContributor.parentValues(system).tree();
        assertEquals(Map.of(), at(base, "externalEgress", "destinations"));
        assertEquals(true, at(base, "externalEgress").get("serviceEntries"));
    }
}
