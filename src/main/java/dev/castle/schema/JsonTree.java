package dev.castle.schema;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.castle.load.Node;
import dev.castle.model.Quantity;
import dev.castle.model.Scalars;

/** Converts the positioned tree to JSON for schema validation, with YAML 1.1 scalar types. */
final class JsonTree {
    private static final JsonNodeFactory FACTORY = JsonNodeFactory.withExactBigDecimals(true);

    private JsonTree() {
    }

    static JsonNode of(Node node) {
        if (node instanceof Node.MapNode map) {
            ObjectNode object = FACTORY.objectNode();
            for (Map.Entry<String, Node.Entry> entry : map.entries().entrySet()) {
                object.set(entry.getKey(), of(entry.getValue().value()));
            }
            return object;
        }
        if (node instanceof Node.ListNode list) {
            ArrayNode array = FACTORY.arrayNode();
            list.items().forEach(item -> array.add(of(item)));
            return array;
        }
        Node.ScalarNode scalar = (Node.ScalarNode) node;
        return switch (scalar.type()) {
            case NULL -> FACTORY.nullNode();
            case BOOLEAN -> FACTORY.booleanNode(Scalars.booleanValue(scalar.text()));
            case INTEGER -> {
                BigInteger value = Scalars.integerValue(scalar.text());
                yield value == null ? FACTORY.textNode(scalar.text()) : FACTORY.numberNode(value);
            }
            case FLOAT -> {
                // A whole number as an integer (1e400 is one): the validator compares integers exactly.
                BigInteger whole = Scalars.integral(scalar);
                BigDecimal value = Scalars.decimalValue(scalar.text());
                yield whole != null ? FACTORY.numberNode(whole) : value == null ? FACTORY.textNode(scalar.text()) : FACTORY.numberNode(value);
            }
            case STRING -> FACTORY.textNode(scalar.text());
        };
    }
}
