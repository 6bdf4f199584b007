package dev.castle.charts;

import static dev.castle.charts.PodChecks.get;
import static dev.castle.charts.PodChecks.list;
import static dev.castle.charts.PodChecks.map;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The variables a container would see, read from rendered documents. */
final class RenderedEnv {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\(([-._a-zA-Z][-._a-zA-Z0-9]*)\\)");

    private RenderedEnv() {
    }

    /**
     * The main container's variables of the service's workload (Deployment, StatefulSet or CronJob whose
     * pods are {@code app.kubernetes.io/name: service}), $(VAR) expanded as Kubernetes does, a Secret
     * key as {@code <secret name/key>}, a field as {@code <field path>}.
     */
    static Map<String, String> of(List<Map<String, Object>> docs, String service) {
        Object template = docs.stream().map(d -> switch (String.valueOf(d.get("kind"))) {
                    case "Deployment", "StatefulSet" -> get(d, "spec", "template");
                    case "CronJob" -> get(d, "spec", "jobTemplate", "spec", "template");
                    default -> null;
                }).filter(t -> t != null && service.equals(get(t, "metadata", "labels", "app.kubernetes.io/name")))
                .findFirst().orElseThrow(() -> new AssertionError("no workload of " + service));
        Map<String, String> env = new LinkedHashMap<>();
        for (Object e : list(get(list(get(template, "spec", "containers")).get(0), "env"))) {
            Map<String, Object> entry = map(e);
            Object secret = get(entry, "valueFrom", "secretKeyRef");
            Object field = get(entry, "valueFrom", "fieldRef", "fieldPath");
            String value = secret != null ? "<secret " + get(secret, "name") + "/" + get(secret, "key") + ">"
                    : field != null ? "<field " + field + ">" : String.valueOf(entry.getOrDefault("value", ""));
            Matcher m = REFERENCE.matcher(value);
            StringBuilder text = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(text, Matcher.quoteReplacement(env.getOrDefault(m.group(1), m.group())));
            }
            m.appendTail(text);
            env.put((String) entry.get("name"), text.toString());
        }
        return env;
    }
}
