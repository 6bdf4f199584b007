package dev.castle.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.castle.model.Infrastructure;
import dev.castle.model.SystemModel;

/** The values of an embedded memcached: its item memory from the memory limit, no credentials, a scratch emptyDir, its exporter. */
class MemcachedValuesTest {
    private static final String HEADER = """
            apiVersion: castle/v1alpha1
            kind: System
            metadata: {name: shop, version: 1.0.0}
            """;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> values(String infrastructure) throws Exception {
        SystemModel system = NamespaceQuotaTest.bind(HEADER + "infrastructure:\n  cache: " + infrastructure + "\n");
        Infrastructure cache = system.infrastructure("cache").orElseThrow();
        return InfrastructureValues.forInfrastructure(system, cache).tree();
    }

    @Test
    @SuppressWarnings("unchecked")
    void itemMemoryIsEightyPercentOfTheMemoryLimit() throws Exception {
        Map<String, Object> v = values("{type: memcached, resources: {limits: {memory: 512Mi}}}");
        assertEquals(409L, ((Map<String, Object>) v.get("memcached")).get("memoryMiB"), "80% of 512 MiB");
        assertEquals(80L, ((Map<String, Object>) values("{type: memcached, resources: {limits: {memory: 100Mi}}}").get("memcached")).get("memoryMiB"));
        assertEquals(8L, ((Map<String, Object>) values("{type: memcached, resources: {limits: {memory: 8Mi}}}").get("memcached")).get("memoryMiB"),
                "at least 8 MiB");
        assertEquals(819L, ((Map<String, Object>) values("{type: memcached, resources: {limits: {memory: 1Gi}}}").get("memcached")).get("memoryMiB"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void noCredentialsAScratchVolumeTheImagesUserAndTheExporterWhenAsked() throws Exception {
        Map<String, Object> v = values("{type: memcached, metrics: true}");
        assertEquals("memcached", v.get("engine"));
        assertFalse(v.containsKey("auth"), "no authentication values");
        Map<String, Object> persistence = (Map<String, Object>) v.get("persistence");
        assertEquals(false, persistence.get("enabled"));
        assertEquals("/tmp", persistence.get("mountPath"));
        assertEquals("16Mi", persistence.get("size"));
        Map<String, Object> ports = (Map<String, Object>) v.get("ports");
        assertEquals(11211, ((Map<String, Object>) ports.get("memcached")).get("containerPort"));
        assertEquals(9150, ((Map<String, Object>) ports.get("metrics")).get("containerPort"));
        Map<String, Object> image = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) v.get("metrics")).get("exporter")).get("image");
        assertEquals("prom/memcached-exporter", image.get("repository"));
        assertEquals(11211L, ((Number) ((Map<String, Object>) v.get("podSecurityContext")).get("runAsUser")).longValue(), "the image's memcache user");
    }
}
