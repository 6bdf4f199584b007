package dev.castle.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.castle.load.Node;

/** Binds one {@code infrastructure.<name>} entry, with the defaults of its type. */
final class InfrastructureBinder {
    private InfrastructureBinder() {
    }

    static Infrastructure bind(String name, Fields f) {
        Infrastructure.Type type = Infrastructure.Type.valueOf(f.text("type", "postgresql"));
        Infrastructure.Mode mode = Infrastructure.Mode.valueOf(f.text("mode", "embedded"));
        Service.Image image = f.has("image") ? ModelBinder.image(f)
                : new Service.Image(type.registry, type.repository, f.text("version", type.defaultTag), "", "IfNotPresent");
        Fields storage = f.object("storage");
        Service.Resources resources = switch (type) {
            case kafka -> ModelBinder.resources(f.object("resources"), "500m", "1Gi");
            case rabbitmq, mongodb -> ModelBinder.resources(f.object("resources"), "250m", "512Mi");
            default -> ModelBinder.resources(f.object("resources"), "250m", "256Mi");
        };
        Optional<Infrastructure.SecretRef> secret = f.object("secret").text("name").map(secretName -> new Infrastructure.SecretRef(
                secretName, f.object("secret").text("usernameKey", "username"), f.object("secret").text("passwordKey", "password")));
        Optional<Infrastructure.UpstreamChart> chart = Optional.empty();
        if (mode == Infrastructure.Mode.chart) {
            Fields c = f.object("chart");
            Map<String, String> podLabels = new TreeMap<>(c.stringMap("podLabels"));
            if (podLabels.isEmpty()) {
                podLabels.put("app.kubernetes.io/instance", "{release}");
                podLabels.put("app.kubernetes.io/name", name);
            }
            chart = Optional.of(new Infrastructure.UpstreamChart(c.text("repository", ""), c.text("name", ""),
                    c.text("version", ""), c.node("values").map(InfrastructureBinder::plain).map(v -> (Map<String, Object>) castMap(v))
                    .orElse(Map.of()), c.text("serviceName", "{release}-" + name), podLabels));
        }
        String defaultUser = type == Infrastructure.Type.redis ? "default" : "app";
        return new Infrastructure(name, type, mode, image, f.text("database", name.replace('-', '_')), f.text("username", defaultUser),
                new Infrastructure.Storage(storage.quantity("size").orElse("8Gi"), storage.text("storageClass"), storage.bool("ephemeral", false)),
                resources, f.integer("port", type.port), f.text("host"), f.bool("tls", false), f.text("cidr", "0.0.0.0/0"),
                secret, chart);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object value) {
        return (Map<String, Object>) value;
    }

    /** A node as plain Java values (for chart values passed through): scalars keep their YAML type. */
    static Object plain(Node node) {
        if (node instanceof Node.MapNode map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.entries().forEach((k, v) -> out.put(k, plain(v.value())));
            return out;
        }
        if (node instanceof Node.ListNode list) {
            return list.items().stream().map(InfrastructureBinder::plain).toList();
        }
        Node.ScalarNode scalar = (Node.ScalarNode) node;
        return switch (scalar.type()) {
            case NULL -> null;
            case BOOLEAN -> dev.castle.validate.Scalars.booleanValue(scalar.text());
            case INTEGER -> {
                var value = dev.castle.validate.Scalars.integerValue(scalar.text());
                yield value == null ? scalar.text() : (Object) value;
            }
            case FLOAT -> {
                var value = dev.castle.validate.Scalars.decimalValue(scalar.text());
                yield value == null ? scalar.text() : (Object) value;
            }
            case STRING -> scalar.text();
        };
    }
}
