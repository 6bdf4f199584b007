package dev.castle.plan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON Schema fragments for chart values. */
final class Schemas {
    static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
    /** A Kubernetes object name such as a Secret's: DNS labels joined by dots. */
    static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
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

    /** A number of pods or a percentage, as Kubernetes reads an IntOrString (a string without '%' is refused). */
    static Map<String, Object> countOrPercent() {
        return of("oneOf", List.of(of("type", "integer", "minimum", 0), of("type", "string", "pattern", "^[0-9]+%$")));
    }

    /** A schedule Kubernetes reads: five fields of values, ranges, steps and names in range, or a descriptor (see rules.Cron). */
    static final String CRON = cron();

    private static String cron() {
        String months = anyCase("JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC");
        String days = anyCase("SUN|MON|TUE|WED|THU|FRI|SAT");
        List<String> values = List.of("[0-5]?[0-9]", "[01]?[0-9]|2[0-3]", "0?[1-9]|[12][0-9]|3[01]", "0?[1-9]|1[0-2]|" + months, "0?[0-6]|" + days);
        List<String> fields = values.stream().map(v -> "(\\*|\\?|(" + v + ")(-(" + v + "))?)(/[1-9][0-9]{0,8})?").map(item -> item + "(," + item + ")*")
                .toList();
        return "^\\s*(" + String.join("\\s+", fields) + ")\\s*$|^\\s*@(" + anyCase("yearly|annually|monthly|weekly|daily|midnight|hourly")
                + ")\\s*$|^\\s*@every ([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+\\s*$";
    }

    /** Each letter as [xX]: JSON Schema patterns have no case-insensitive flag. */
    private static String anyCase(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(Character.isLetter(c) ? "[" + Character.toLowerCase(c) + Character.toUpperCase(c) + "]" : String.valueOf(c));
        }
        return out.toString();
    }

    static Map<String, Object> intOrPercent() {
        return of("type", List.of("integer", "string"), "pattern", "^([0-9]+%?)?$");
    }

    /** A path of a route or Ingress: a prefix as it is, or {path, match: Exact | Prefix}. */
    static Map<String, Object> routePath() {
        return of("anyOf", List.of(string("^/"), strictObject(of("path", string("^/"), "match", oneOf("Exact", "Prefix")), "path")));
    }

    /** A map keyed by name (a DNS label or any key) whose entries follow the given schema. */
    static Map<String, Object> mapOf(Map<String, Object> entry) {
        return of("type", "object", "additionalProperties", entry);
    }

    /**
     * A probe: enabled, then the probe in Kubernetes form; an enabled probe needs exactly one
     * handler (httpGet, tcpSocket, grpc or exec).
     */
    static Map<String, Object> probeSchema() {
        List<Object> handlers = List.of(of("required", List.of("httpGet")), of("required", List.of("tcpSocket")),
                of("required", List.of("grpc")), of("required", List.of("exec")));
        Map<String, Object> schema = of("type", "object", "required", List.of("enabled"));
        schema.put("properties", of("enabled", bool(), "httpGet", of("type", List.of("object", "null")),
                "tcpSocket", of("type", List.of("object", "null")), "grpc", of("type", List.of("object", "null")),
                "exec", of("type", List.of("object", "null")), "initialDelaySeconds", integer(0), "periodSeconds", integer(1),
                "timeoutSeconds", integer(1), "failureThreshold", integer(1), "successThreshold", integer(1),
                "terminationGracePeriodSeconds", integer(1)));
        schema.put("additionalProperties", false);
        schema.put("if", of("properties", of("enabled", of("const", true))));
        schema.put("then", of("oneOf", handlers));
        return schema;
    }

    static Map<String, Object> of(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
