package dev.castle.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The fast paths of the JSON writer give exactly the text of the slow ones they replaced: scalars as Jackson writes them. */
class JsonTextTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();

    private static String jackson(Object value) throws Exception {
        return JACKSON.writeValueAsString(value);
    }

    private static String scalar(Object value) {
        StringBuilder out = new StringBuilder();
        Json.appendScalar(value, out);
        return out.toString();
    }

    @Test
    void everyCharacterIsEscapedAsJacksonDoes() throws Exception {
        for (int c = 0; c <= 0xFFFF; c++) {
            String text = "a" + (char) c + "b";
            assertEquals(jackson(text), scalar(text), () -> "U+" + Integer.toHexString(text.charAt(1)));
        }
        String astral = "emoji \uD83D\uDE00 and a lone \uD800 surrogate";
        assertEquals(jackson(astral), scalar(astral));
    }

    @Test
    void numbersBooleansAndNullAsJackson() throws Exception {
        for (Object value : new Object[] {null, true, false, 0, -1, Integer.MAX_VALUE, Long.MIN_VALUE, (short) 7, (byte) -3,
                new java.math.BigInteger("123456789012345678901234567890"), 1.5, 1e21, 0.1f, new java.math.BigDecimal("1.50")}) {
            assertEquals(jackson(value), scalar(value), String.valueOf(value));
        }
    }

    /** Random trees: whatever fits in a line, and at which depth, comes out as it did when each level was inlined whole. */
    @Test
    void layoutOfRandomTreesIsUnchanged() {
        Random random = new Random(14);
        for (int i = 0; i < 2_000; i++) {
            Object tree = randomTree(random, 0);
            assertEquals(reference(tree, 0, 0) + "\n", Json.dump(tree));
        }
    }

    /** The layout as Json wrote it before: the whole value inlined at each level, then tried against the line. */
    private static String reference(Object value, int depth, int column) {
        String line = Json.inline(value);
        boolean container = value instanceof Map<?, ?> || value instanceof List<?>;
        boolean empty = value instanceof Map<?, ?> m && m.isEmpty() || value instanceof List<?> l && l.isEmpty();
        if (!container || column + line.length() <= 100 || empty) {
            return line;
        }
        StringBuilder out = new StringBuilder();
        String inner = "  ".repeat(depth + 1);
        if (value instanceof Map<?, ?> map) {
            out.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = Json.inline(entry.getKey()) + ": ";
                out.append(inner).append(key).append(reference(entry.getValue(), depth + 1, inner.length() + key.length()));
                out.append(++i < map.size() ? ",\n" : "\n");
            }
            return out.append("  ".repeat(depth)).append('}').toString();
        }
        List<?> list = (List<?>) value;
        out.append("[\n");
        for (int i = 0; i < list.size(); i++) {
            out.append(inner).append(reference(list.get(i), depth + 1, inner.length()));
            out.append(i + 1 < list.size() ? ",\n" : "\n");
        }
        return out.append("  ".repeat(depth)).append(']').toString();
    }

    private static Object randomTree(Random random, int depth) {
        int kind = depth > 4 ? 3 + random.nextInt(3) : random.nextInt(6);
        switch (kind) {
            case 0, 1 -> {
                Map<String, Object> map = new LinkedHashMap<>();
                int size = random.nextInt(6);
                for (int i = 0; i < size; i++) {
                    map.put(randomText(random), randomTree(random, depth + 1));
                }
                return map;
            }
            case 2 -> {
                List<Object> list = new ArrayList<>();
                int size = random.nextInt(6);
                for (int i = 0; i < size; i++) {
                    list.add(randomTree(random, depth + 1));
                }
                return list;
            }
            case 3 -> {
                return randomText(random);
            }
            case 4 -> {
                return random.nextInt(100_000);
            }
            default -> {
                return random.nextBoolean();
            }
        }
    }

    private static String randomText(Random random) {
        String alphabet = "abcdefghij -_./:\"\\\n\t{}#é";
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(30);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
