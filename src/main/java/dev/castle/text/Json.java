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
        StringBuilder out = new StringBuilder();
        appendInline(value, out, Integer.MAX_VALUE);
        return out.toString();
    }

    /**
     * Appends the value on one line and says whether the text stayed within {@code limit} characters
     * of {@code out}; stops as soon as it does not (a large value used to be written out whole at each
     * level of nesting only to learn that it did not fit).
     */
    private static boolean appendInline(Object value, StringBuilder out, int limit) {
        if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(first ? "" : ", ");
                first = false;
                appendScalar(entry.getKey(), out);
                out.append(": ");
                if (out.length() > limit || !appendInline(entry.getValue(), out, limit)) {
                    return false;
                }
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            boolean first = true;
            for (Object item : list) {
                out.append(first ? "" : ", ");
                first = false;
                if (out.length() > limit || !appendInline(item, out, limit)) {
                    return false;
                }
            }
            out.append(']');
        } else {
            appendScalar(value, out);
        }
        return out.length() <= limit;
    }

    /** Writes value, which starts at column on a line indented for depth. */
    private static void write(Object value, int depth, int column, StringBuilder out) {
        boolean container = value instanceof Map<?, ?> || value instanceof List<?>;
        if (!container || isEmpty(value)) {
            appendInline(value, out, Integer.MAX_VALUE);
            return;
        }
        int mark = out.length();
        if (appendInline(value, out, mark + LINE - column)) {
            return;
        }
        out.setLength(mark);
        String inner = "  ".repeat(depth + 1);
        if (value instanceof Map<?, ?> map) {
            out.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(inner);
                int keyStart = out.length();
                appendScalar(entry.getKey(), out);
                out.append(": ");
                write(entry.getValue(), depth + 1, inner.length() + out.length() - keyStart, out);
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

    /**
     * A scalar as Jackson writes it: strings, booleans, integers and null directly (Jackson's
     * generator per scalar was a tenth of the time of a large system's charts), anything else by
     * Jackson.
     */
    static void appendScalar(Object value, StringBuilder out) {
        if (value instanceof String text) {
            appendString(text, out);
        } else if (value == null || value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Short || value instanceof Byte || value instanceof java.math.BigInteger) {
            out.append(value);
        } else {
            try {
                out.append(MAPPER.writeValueAsString(value));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot serialise JSON", e);
            }
        }
    }

    /** Jackson's escapes: quote and backslash, the short forms of control characters, backslash-u00XX for the others. */
    private static void appendString(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
}
