package dev.castle.plan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON Schema fragments for chart values. */
final class Schemas {
    static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
    static final String QUANTITY = "^[+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|e[0-9]+)?$";

    private Schemas() {
    }

    static Map<String, Object> string() {
        return of("type", "string");
    }

    static Map<String, Object> string(String pattern) {
        return of("type", "string", "pattern", pattern);
    }

    static Map<String, Object> oneOf(String... values) {
        return of("type", "string", "enum", List.of(values));
    }

    static Map<String, Object> integer(int minimum) {
        return of("type", "integer", "minimum", minimum);
    }

    static Map<String, Object> integer(int minimum, int maximum) {
        return of("type", "integer", "minimum", minimum, "maximum", maximum);
    }

    static Map<String, Object> bool() {
        return of("type", "boolean");
    }

    /** An object whose shape is Kubernetes' own (a probe, an affinity, ...): checked by the API server. */
    static Map<String, Object> object() {
        return of("type", "object");
    }

    /** Any value (passed through to an upstream chart, which validates it). */
    static Map<String, Object> any() {
        return new LinkedHashMap<>();
    }

    static Map<String, Object> stringMap() {
        return of("type", "object", "additionalProperties", of("type", "string"));
    }

    static Map<String, Object> scalarMap() {
        return of("type", "object", "additionalProperties", of("type", List.of("string", "number", "boolean")));
    }

    static Map<String, Object> array(Map<String, Object> items) {
        return of("type", "array", "items", items);
    }

    static Map<String, Object> strictObject(Map<String, Object> properties, String... required) {
        Map<String, Object> schema = of("type", "object", "additionalProperties", false, "properties", properties);
        if (required.length > 0) {
            schema.put("required", List.of(required));
        }
        return schema;
    }

    static Map<String, Object> quantityMap() {
        return of("type", "object", "additionalProperties",
                of("type", List.of("string", "number"), "pattern", QUANTITY));
    }

    static Map<String, Object> intOrPercent() {
        return of("type", List.of("integer", "string"), "pattern", "^([0-9]+%?)?$");
    }

    static Map<String, Object> of(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
