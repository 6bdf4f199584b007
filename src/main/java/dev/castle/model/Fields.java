package dev.castle.model;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.castle.load.Node;

/**
 * Typed reads from a map node for the binders. Absent keys, nulls and values of the wrong shape
 * give the caller's default: the binder binds whatever it is given (the schema check reports what
 * is malformed), so that the rules can still check the rest of an entry in the same run.
 */
final class Fields {
    private final Node.MapNode map;

    Fields(Node node) {
        this.map = node instanceof Node.MapNode m ? m : new Node.MapNode(node.position(), node.pointer(), Map.of());
    }

    static Fields empty() {
        return new Fields(new Node.MapNode(new dev.castle.load.Position(java.nio.file.Path.of(""), 1, 1), "", Map.of()));
    }

    Node.MapNode node() {
        return map;
    }

    boolean has(String key) {
        return node(key).isPresent();
    }

    Optional<Node> node(String key) {
        return map.get(key).filter(n -> !(n instanceof Node.ScalarNode s && s.isNull()));
    }

    Fields object(String key) {
        return node(key).map(Fields::new).orElseGet(() -> new Fields(new Node.MapNode(map.position(), map.pointer() + "/" + key, Map.of())));
    }

    /** False when the key holds the literal false (the "disabled" form). */
    boolean isFalse(String key) {
        return node(key).filter(n -> n instanceof Node.ScalarNode s && s.type() == Node.ScalarType.BOOLEAN
                && !Scalars.booleanValue(s.text())).isPresent();
    }

    Optional<String> text(String key) {
        return scalar(key).map(Node.ScalarNode::text);
    }

    String text(String key, String fallback) {
        return text(key).orElse(fallback);
    }

    /** A value of a closed set; a value outside it gives the default (the schema reports it). */
    <E extends Enum<E>> E enumValue(String key, Class<E> type, E fallback) {
        return enumValue(key, type).orElse(fallback);
    }

    <E extends Enum<E>> Optional<E> enumValue(String key, Class<E> type) {
        return text(key).flatMap(text -> Enums.parse(type, text));
    }

    Optional<Integer> integer(String key) {
        return scalar(key).map(Scalars::integral).filter(Fields::fitsInt).map(BigInteger::intValueExact);
    }

    private static boolean fitsInt(BigInteger value) {
        return value != null && value.bitLength() < 32;
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
        return scalar(key).map(Scalars::integral).filter(v -> v != null && v.bitLength() < 64).map(BigInteger::longValueExact);
    }

    Optional<Double> decimal(String key) {
        return scalar(key).filter(s -> s.type() == Node.ScalarType.INTEGER || s.type() == Node.ScalarType.FLOAT)
                .map(s -> Scalars.decimalValue(s.text())).filter(java.util.Objects::nonNull)
                .map(java.math.BigDecimal::doubleValue);
    }

    Optional<Boolean> bool(String key) {
        return scalar(key).filter(s -> s.type() == Node.ScalarType.BOOLEAN).map(s -> Scalars.booleanValue(s.text()));
    }

    boolean bool(String key, boolean fallback) {
        return bool(key).orElse(fallback);
    }

    /** A list of scalars as strings (items of another shape are left out). */
    List<String> strings(String key) {
        List<String> values = new ArrayList<>();
        node(key).filter(Node.ListNode.class::isInstance).ifPresent(n -> ((Node.ListNode) n).items().stream()
                .filter(i -> i instanceof Node.ScalarNode s && !s.isNull()).forEach(i -> values.add(((Node.ScalarNode) i).text())));
        return List.copyOf(values);
    }

    /** The items of a list-valued key (empty when it is not a list). */
    List<Node> items(String key) {
        return node(key).filter(Node.ListNode.class::isInstance).map(n -> ((Node.ListNode) n).items()).orElse(List.of());
    }

    /** A map of scalars as strings, sorted by key (output order is by key, as Helm's toYaml sorts). */
    Map<String, String> stringMap(String key) {
        Map<String, String> values = new TreeMap<>();
        node(key).filter(Node.MapNode.class::isInstance).ifPresent(n -> ((Node.MapNode) n).entries()
                .forEach((k, v) -> values.put(k, v.value() instanceof Node.ScalarNode s && !s.isNull() ? s.text() : "")));
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

    /** A scalar as Kubernetes' IntOrString: an Integer for a whole number, else its text. */
    Optional<Object> intOrString(String key) {
        return scalar(key).map(Fields::intOrString);
    }

    static Object intOrString(Node.ScalarNode s) {
        BigInteger number = Scalars.integral(s);
        return fitsInt(number) ? (Object) number.intValueExact() : s.text();
    }
}
