package dev.castle.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.castle.plan.JaegerValuesTest.at;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * Single keys of a Secret ({@code secrets.<name>.mounts}) and of a shared configuration
 * ({@code sharedConfig.<name>.mounts}) mounted as one file each: the defaults the binder decides
 * once (no envFrom, no folder when every file is placed) and the values the chart reads.
 */
class FileMountsValuesTest {
    private static final String SYSTEM = """
            apiVersion: castle/v1alpha1
            kind: System
            metadata: {name: shop, version: 1.0.0}
            config:
              social: {data: {mode: fast}}
            services:
              web:
                image: ghcr.io/acme/web:1.0.0
                ports: {http: 8080}
                secrets:
                  web-config: {mounts: {service-config.json: /app/config/service-config.json}}
                  web-keys: {mountPath: /keys}
                sharedConfig:
                  social: {envFrom: false, mounts: {mode: /app/config/mode}}
            """;

    @Test
    void aSecretMountedKeyByKeyIsNoEnvFromAndItsValuesNameTheFiles() throws Exception {
        SystemModel system = NamespaceQuotaTest.bind(SYSTEM);
        Service web = system.service("web").orElseThrow();
        Service.SecretRef config = web.configuration().secrets().get(0);
        assertEquals("web-config", config.name());
        assertFalse(config.envFrom(), "a Secret mounted key by key is not also exposed as variables");
        assertEquals(Optional.empty(), config.mountPath());
        assertEquals(Map.of("service-config.json", "/app/config/service-config.json"), config.mounts());
        Service.SecretRef keys = web.configuration().secrets().get(1);
        assertFalse(keys.envFrom());
        assertEquals(Map.of(), keys.mounts());

        Map<String, Object> v = ServiceValues.forService(system, web).tree();
        assertEquals(Map.of("service-config.json", "/app/config/service-config.json"), at(v, "secrets", "web-config", "mounts"));
        assertEquals("", at(v, "secrets", "web-config", "mountPath"));
        assertEquals(false, at(v, "secrets", "web-config", "envFrom"));
        assertFalse(((Map<?, ?>) at(v, "secrets", "web-keys")).containsKey("mounts"), "no empty mounts in the values");
    }

    @Test
    void aSharedConfigMountedKeyByKeyHasNoDefaultFolder() throws Exception {
        SystemModel system = NamespaceQuotaTest.bind(SYSTEM.replace("{data: {mode: fast}}", "{files: {mode: pom.xml}}")
                .replace("{envFrom: false, mounts", "{mounts"));
        Service web = system.service("web").orElseThrow();
        Service.SharedConfigUse use = web.configuration().shared().get(0);
        assertEquals(Optional.empty(), use.mountPath(), "every file is placed by mounts: no /etc/social folder");
        assertFalse(use.envFrom());
        Map<String, Object> v = ServiceValues.forService(system, web).tree();
        assertEquals(Map.of("mode", "/app/config/mode"), at(v, "sharedConfig", "social", "mounts"));

        SystemModel folder = NamespaceQuotaTest.bind(SYSTEM.replace("{data: {mode: fast}}", "{files: {mode: pom.xml, other: pom.xml}}")
                .replace("{envFrom: false, mounts", "{mounts"));
        assertEquals(Optional.of("/etc/social"), folder.service("web").orElseThrow().configuration().shared().get(0).mountPath(),
                "a file mounts does not place still gets the default folder");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theValuesSchemaChecksTheKeysAndThePaths() throws Exception {
        SystemModel system = NamespaceQuotaTest.bind(SYSTEM);
        ChartValues values = ServiceValues.forService(system, system.service("web").orElseThrow());
        Map<String, Object> secrets = values.params().stream().filter(p -> p.path().equals("secrets")).findFirst().orElseThrow().schema();
        Map<String, Object> entry = (Map<String, Object>) secrets.get("additionalProperties");
        Map<String, Object> mounts = (Map<String, Object>) ((Map<String, Object>) entry.get("properties")).get("mounts");
        assertEquals(Map.of("pattern", "^[-._a-zA-Z0-9]+$"), mounts.get("propertyNames"));
        assertEquals("^/", ((Map<String, Object>) mounts.get("additionalProperties")).get("pattern"));
        assertTrue(values.params().stream().anyMatch(p -> p.path().equals("sharedConfig")
                && p.schema().toString().contains("mounts")));
    }
}
