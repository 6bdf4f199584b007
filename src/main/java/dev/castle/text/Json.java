package dev.castle.text;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * JSON for people and for size (values.schema.json): an object or array that fits in 100
 * characters stays on one line, a larger one takes a line per member, indented by two spaces;
 * a final newline. Scalars are escaped by Jackson.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int LINE = 100;

    private Json() {
    }

    public static String dump(Object tree) {
        StringBuilder out = new StringBuilder();
        write(Ordered.tree(tree), 0, 0, out);
        return out.append('\n').toString();
    }

    /** The value on one line, as {@code {"a": 1, "b": [2, 3]}}. */
    public static String inline(Object value) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            map.forEach((key, item) -> out.append(out.length() > 1 ? ", " : "").append(scalar(key)).append(": ").append(inline(item)));
            return out.append('}').toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder out = new StringBuilder("[");
            list.forEach(item -> out.append(out.length() > 1 ? ", " : "").append(inline(item)));
            return out.append(']').toString();
        }
        return scalar(value);
    }

    /** Writes value, which starts at column on a line indented for depth. */
    private static void write(Object value, int depth, int column, StringBuilder out) {
        String line = inline(value);
        boolean container = value instanceof Map<?, ?> || value instanceof List<?>;
        if (!container || column + line.length() <= LINE || isEmpty(value)) {
            out.append(line);
            return;
        }
        String inner = "  ".repeat(depth + 1);
        if (value instanceof Map<?, ?> map) {
            out.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = scalar(entry.getKey()) + ": ";
                out.append(inner).append(key);
                write(entry.getValue(), depth + 1, inner.length() + key.length(), out);
                out.append(++i < map.size() ? ",\n" : "\n");
            }
            out.append("  ".repeat(depth)).append('}');
        } else {
            List<?> list = (List<?>) value;
            out.append("[\n");
            for (int i = 0; i < list.size(); i++) {
                out.append(inner);
                write(list.get(i), depth + 1, inner.length(), out);
                out.append(i + 1 < list.size() ? ",\n" : "\n");
            }
            out.append("  ".repeat(depth)).append(']');
        }
    }

    private static boolean isEmpty(Object value) {
        return value instanceof Map<?, ?> map && map.isEmpty() || value instanceof List<?> list && list.isEmpty();
    }

    private static String scalar(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise JSON", e);
        }
    }
}
