package dev.castle.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.castle.load.Node;
import dev.castle.validate.Scalars;

/** Typed reads from a schema-validated map node; absent keys give the caller's default. */
final class Fields {
    private final Node.MapNode map;

    Fields(Node node) {
        this.map = node instanceof Node.MapNode m ? m : new Node.MapNode(node.position(), node.pointer(), Map.of());
    }

    static Fields empty(Node parent) {
        return new Fields(new Node.MapNode(parent.position(), parent.pointer(), Map.of()));
    }

    boolean has(String key) {
        return map.get(key).filter(n -> !(n instanceof Node.ScalarNode s && s.isNull())).isPresent();
    }

    Optional<Node> node(String key) {
        return map.get(key).filter(n -> !(n instanceof Node.ScalarNode s && s.isNull()));
    }

    Fields object(String key) {
        return node(key).map(Fields::new).orElseGet(() -> empty(map));
    }

    /** False when the key holds the literal false (the "disabled" form). */
    boolean isFalse(String key) {
        return node(key).filter(n -> n instanceof Node.ScalarNode s && s.type() == Node.ScalarType.BOOLEAN
                && !Scalars.booleanValue(s.text())).isPresent();
    }

    Optional<String> text(String key) {
        return node(key).filter(Node.ScalarNode.class::isInstance).map(n -> ((Node.ScalarNode) n).text());
    }

    String text(String key, String fallback) {
        return text(key).orElse(fallback);
    }

    Optional<Integer> integer(String key) {
        return scalar(key).map(Scalars::integral).map(java.math.BigInteger::intValueExact);
    }

    private Optional<Node.ScalarNode> scalar(String key) {
        return node(key).filter(Node.ScalarNode.class::isInstance).map(Node.ScalarNode.class::cast);
    }

    /** A quantity as Kubernetes reads it: numbers in plain decimal notation, strings as written. */
    Optional<String> quantity(String key) {
        return scalar(key).map(Scalars::plainNumber);
    }

    int integer(String key, int fallback) {
        return integer(key).orElse(fallback);
    }

    Optional<Long> longValue(String key) {
        return scalar(key).map(Scalars::integral).map(java.math.BigInteger::longValueExact);
    }

    Optional<Double> decimal(String key) {
        return scalar(key).map(s -> Scalars.decimalValue(s.text().replace("_", ""))).map(java.math.BigDecimal::doubleValue);
    }

    Optional<Boolean> bool(String key) {
        return text(key).map(Scalars::booleanValue);
    }

    boolean bool(String key, boolean fallback) {
        return bool(key).orElse(fallback);
    }

    List<String> strings(String key) {
        List<String> values = new ArrayList<>();
        node(key).filter(Node.ListNode.class::isInstance)
                .ifPresent(n -> ((Node.ListNode) n).items().forEach(i -> values.add(((Node.ScalarNode) i).text())));
        return List.copyOf(values);
    }

    /** A map of scalars as strings, sorted by key (output order is by key, as Helm's toYaml sorts). */
    Map<String, String> stringMap(String key) {
        Map<String, String> values = new TreeMap<>();
        node(key).filter(Node.MapNode.class::isInstance).ifPresent(n -> ((Node.MapNode) n).entries()
                .forEach((k, v) -> values.put(k, v.value() instanceof Node.ScalarNode s ? s.text() : "")));
        return java.util.Collections.unmodifiableMap(values);
    }

    /** The entries of a map-valued key, in file order. */
    Map<String, Node> entries(String key) {
        Map<String, Node> values = new LinkedHashMap<>();
        node(key).filter(Node.MapNode.class::isInstance)
                .ifPresent(n -> ((Node.MapNode) n).entries().forEach((k, v) -> values.put(k, v.value())));
        return values;
    }

    Map<String, Node> entries() {
        Map<String, Node> values = new LinkedHashMap<>();
        map.entries().forEach((k, v) -> values.put(k, v.value()));
        return values;
    }

    /** A scalar value as a YAML-typed Java value (Integer for ints, String otherwise). */
    Optional<Object> intOrString(String key) {
        return node(key).map(n -> {
            Node.ScalarNode s = (Node.ScalarNode) n;
            java.math.BigInteger number = Scalars.integral(s);
            return number != null ? (Object) number.intValueExact() : s.text();
        });
    }
}
