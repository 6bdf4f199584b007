package dev.castle.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Charts of one plan hold one instance of each distinct param schema, and the schemas they write stay their own. */
class SharedSchemasTest {
    private static ChartValues chart(String description) {
        return new ChartValues().section("Values")
                .param("probes.liveness", Map.of(), description, Schemas.probeSchema())
                .param("probes.extra.level", 1, "a level", Schemas.integer(0))
                .param("replicas", 2, "replicas", Schemas.described(Schemas.integer(1), "how many"))
                .openObject("probes.extra");
    }

    @Test
    @SuppressWarnings("unchecked")
    void equalSchemasAreOneInstanceAndEachChartWritesItsOwnCopy() {
        Map<Object, Map<String, Object>> shared = new HashMap<>();
        ChartValues a = chart("liveness of a").shareSchemas(shared);
        ChartValues b = chart("liveness of b").shareSchemas(shared);
        for (int i = 0; i < a.params().size(); i++) {
            assertSame(a.params().get(i).schema(), b.params().get(i).schema(), a.params().get(i).path());
        }
        assertEquals(List.of("probes", "replicas"), a.sections().get(0).keys());
        assertEquals(List.of("probes.liveness", "probes.extra.level"), a.paramsUnder("probes").stream().map(ChartValues.Param::path).toList());
        assertSame(a.paramsUnder("replicas").get(0), a.params().get(2));

        Map<String, Object> before = Schemas.probeSchema();
        Map<String, Object> schemaA = a.jsonSchema("a", Map.of());
        Map<String, Object> schemaB = b.jsonSchema("b", Map.of());
        Object livenessA = properties(properties(schemaA).get("probes")).get("liveness");
        assertEquals(before, livenessA);
        assertNotSame(a.params().get(0).schema(), livenessA);
        assertNotSame(livenessA, properties(properties(schemaB).get("probes")).get("liveness"));
        // Writing a schema changes nothing of the shared one (an open object loses additionalProperties in the copy only).
        ((Map<String, Object>) livenessA).put("changed", true);
        assertEquals(before, a.params().get(0).schema());
        assertEquals(before, b.params().get(0).schema());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(Object schema) {
        return (Map<String, Object>) ((Map<String, Object>) schema).get("properties");
    }
}
