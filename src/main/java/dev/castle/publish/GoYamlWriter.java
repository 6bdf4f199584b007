package dev.castle.publish;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Writes a tree of maps, lists, strings, booleans and numbers as Helm writes Chart.yaml, Chart.lock
 * and index.yaml ({@code sigs.k8s.io/yaml.Marshal}, which is go-yaml v2 after a JSON round trip):
 * keys in go-yaml's order, sequences not indented under their key, strings quoted only when go-yaml
 * would quote them (double quotes for text that would read as another type, single quotes for text
 * with YAML indicators), long lines folded after column 80, multi-line text as literal blocks.
 *
 * <p>The rules are those of go-yaml v2's emitter (a port of libyaml), reduced to block style and
 * the scalar types a Helm metadata file holds, so castle's archives carry the same
 * {@code Chart.yaml} bytes as {@code helm package}'s.
 */
final class GoYamlWriter {
    private static final int BEST_INDENT = 2;
    private static final int BEST_WIDTH = 80;

    private enum Style { PLAIN, SINGLE, DOUBLE, LITERAL }

    private final StringBuilder out = new StringBuilder();
    private final List<Integer> indents = new ArrayList<>();
    private int indent = -1;
    private int column;
    private boolean whitespace = true;
    private boolean indention = true;
    private boolean openEnded;

    private GoYamlWriter() {
    }

    /** The YAML text of the tree (a map, list or scalar), ending in a newline. */
    static String marshal(Object tree) {
        GoYamlWriter writer = new GoYamlWriter();
        writer.node(tree, true, false, false);
        writer.writeIndent();
        if (writer.openEnded) {
            writer.indicator("...", true, false, false);
            writer.writeIndent();
        }
        return writer.out.toString();
    }

    private void node(Object value, boolean root, boolean mappingContext, boolean simpleKey) {
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                emptyFlow("{", "}");
            } else {
                blockMapping(map);
            }
        } else if (value instanceof Collection<?> list) {
            if (list.isEmpty()) {
                emptyFlow("[", "]");
            } else {
                blockSequence(list, mappingContext);
            }
        } else {
            Scalar scalar = Scalar.of(value);
            scalar(scalar, simpleKey);
            if (root && scalar.style == Style.PLAIN) {
                openEnded = true;
            }
        }
    }

    private void emptyFlow(String open, String close) {
        indicator(open, true, true, false);
        increaseIndent(true, false);
        popIndent();
        indicator(close, false, false, false);
    }

    private void blockMapping(Map<?, ?> map) {
        increaseIndent(false, false);
        for (String key : GoKeyOrder.sorted(map.keySet())) {
            writeIndent();
            Scalar keyScalar = Scalar.of(key);
            if (keyScalar.simpleKeyAllowed()) {
                scalar(keyScalar, true);
                indicator(":", false, false, false);
            } else {
                indicator("?", true, false, true);
                scalar(keyScalar, false);
                writeIndent();
                indicator(":", true, false, true);
            }
            node(map.get(key), false, true, false);
        }
        popIndent();
    }

    private void blockSequence(Collection<?> list, boolean mappingContext) {
        increaseIndent(false, mappingContext && !indention);
        for (Object item : list) {
            writeIndent();
            indicator("-", true, false, true);
            node(item, false, false, false);
        }
        popIndent();
    }

    private void increaseIndent(boolean flow, boolean indentless) {
        indents.add(indent);
        if (indent < 0) {
            indent = flow ? BEST_INDENT : 0;
        } else if (!indentless) {
            indent += BEST_INDENT;
        }
    }

    private void popIndent() {
        indent = indents.remove(indents.size() - 1);
    }

    private void scalar(Scalar scalar, boolean simpleKey) {
        Style style = scalar.select(simpleKey);
        increaseIndent(true, false);
        switch (style) {
            case PLAIN -> plain(scalar.text, !simpleKey);
            case SINGLE -> singleQuoted(scalar.text, !simpleKey);
            case DOUBLE -> doubleQuoted(scalar.text, !simpleKey);
            case LITERAL -> literal(scalar.text);
            default -> throw new IllegalStateException();
        }
        popIndent();
    }

    // ---- libyaml's writing primitives --------------------------------------------------------

    private void put(char c) {
        out.append(c);
        column++;
    }

    private void putBreak() {
        out.append('\n');
        column = 0;
    }

    private void write(int codePoint) {
        out.appendCodePoint(codePoint);
        column++;
    }

    private void writeBreak(int codePoint) {
        if (codePoint == '\n') {
            putBreak();
        } else {
            out.appendCodePoint(codePoint);
            column = 0;
        }
    }

    private void writeIndent() {
        int target = Math.max(indent, 0);
        if (!indention || column > target || (column == target && !whitespace)) {
            putBreak();
        }
        while (column < target) {
            put(' ');
        }
        whitespace = true;
        indention = true;
    }

    private void indicator(String text, boolean needWhitespace, boolean isWhitespace, boolean isIndention) {
        if (needWhitespace && !whitespace) {
            put(' ');
        }
        text.codePoints().forEach(this::write);
        whitespace = isWhitespace;
        indention = indention && isIndention;
        openEnded = false;
    }

    private void plain(String text, boolean allowBreaks) {
        if (!whitespace) {
            put(' ');
        }
        int[] cps = text.codePoints().toArray();
        boolean spaces = false;
        for (int i = 0; i < cps.length; i++) {
            int c = cps[i];
            if (c == ' ') {
                if (allowBreaks && !spaces && column > BEST_WIDTH && !(i + 1 < cps.length && cps[i + 1] == ' ')) {
                    writeIndent();
                } else {
                    write(c);
                }
                spaces = true;
            } else {
                write(c);
                indention = false;
                spaces = false;
            }
        }
        whitespace = false;
        indention = false;
    }

    private void singleQuoted(String text, boolean allowBreaks) {
        indicator("'", true, false, false);
        int[] cps = text.codePoints().toArray();
        boolean spaces = false;
        boolean breaks = false;
        for (int i = 0; i < cps.length; i++) {
            int c = cps[i];
            if (c == ' ') {
                if (allowBreaks && !spaces && column > BEST_WIDTH && i > 0 && i < cps.length - 1 && cps[i + 1] != ' ') {
                    writeIndent();
                } else {
                    write(c);
                }
                spaces = true;
            } else if (isBreak(c)) {
                if (!breaks && c == '\n') {
                    putBreak();
                }
                writeBreak(c);
                indention = true;
                breaks = true;
            } else {
                if (breaks) {
                    writeIndent();
                }
                if (c == '\'') {
                    put('\'');
                }
                write(c);
                indention = false;
                spaces = false;
                breaks = false;
            }
        }
        indicator("'", false, false, false);
        whitespace = false;
        indention = false;
    }

    private void doubleQuoted(String text, boolean allowBreaks) {
        indicator("\"", true, false, false);
        int[] cps = text.codePoints().toArray();
        boolean spaces = false;
        for (int i = 0; i < cps.length; i++) {
            int c = cps[i];
            if (!isPrintable(c) || c == 0xFEFF || isBreak(c) || c == '"' || c == '\\') {
                put('\\');
                switch (c) {
                    case 0x00 -> put('0');
                    case 0x07 -> put('a');
                    case 0x08 -> put('b');
                    case 0x09 -> put('t');
                    case 0x0A -> put('n');
                    case 0x0B -> put('v');
                    case 0x0C -> put('f');
                    case 0x0D -> put('r');
                    case 0x1B -> put('e');
                    case 0x22 -> put('"');
                    case 0x5C -> put('\\');
                    case 0x85 -> put('N');
                    case 0xA0 -> put('_');
                    case 0x2028 -> put('L');
                    case 0x2029 -> put('P');
                    default -> {
                        int width;
                        if (c <= 0xFF) {
                            put('x');
                            width = 2;
                        } else if (c <= 0xFFFF) {
                            put('u');
                            width = 4;
                        } else {
                            put('U');
                            width = 8;
                        }
                        for (int k = (width - 1) * 4; k >= 0; k -= 4) {
                            int digit = (c >> k) & 0x0F;
                            put((char) (digit < 10 ? '0' + digit : 'A' + digit - 10));
                        }
                    }
                }
                spaces = false;
            } else if (c == ' ') {
                if (allowBreaks && !spaces && column > BEST_WIDTH && i > 0 && i < cps.length - 1) {
                    writeIndent();
                    if (cps[i + 1] == ' ') {
                        put('\\');
                    }
                } else {
                    write(c);
                }
                spaces = true;
            } else {
                write(c);
                spaces = false;
            }
        }
        indicator("\"", false, false, false);
        whitespace = false;
        indention = false;
    }

    private void literal(String text) {
        indicator("|", true, false, false);
        int[] cps = text.codePoints().toArray();
        if (cps.length > 0 && (cps[0] == ' ' || isBreak(cps[0]))) {
            indicator(Integer.toString(BEST_INDENT), false, false, false);
        }
        openEnded = false;
        String chomp = null;
        if (cps.length == 0 || !isBreak(cps[cps.length - 1])) {
            chomp = "-";
        } else if (cps.length == 1 || isBreak(cps[cps.length - 2])) {
            chomp = "+";
        }
        if (chomp != null) {
            indicator(chomp, false, false, false);
            openEnded = "+".equals(chomp);
        }
        putBreak();
        indention = true;
        whitespace = true;
        boolean breaks = true;
        for (int c : cps) {
            if (isBreak(c)) {
                writeBreak(c);
                indention = true;
                breaks = true;
            } else {
                if (breaks) {
                    writeIndent();
                }
                write(c);
                indention = false;
                breaks = false;
            }
        }
    }

    static boolean isBreak(int c) {
        return c == '\r' || c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029;
    }

    /** libyaml's printable set: LF, printable ASCII, U+00A0 to U+D7FF, U+E000 to U+FFFD except the BOM. */
    static boolean isPrintable(int c) {
        return c == 0x0A || (c >= 0x20 && c <= 0x7E) || (c >= 0xA0 && c <= 0xD7FF)
                || (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF);
    }

    /** A scalar with the style go-yaml's encoder asks for and what the emitter's analysis allows. */
    private static final class Scalar {
        final String text;
        final Style style;
        boolean multiline;
        boolean blockPlainAllowed = true;
        boolean singleQuotedAllowed = true;
        boolean blockAllowed = true;

        private Scalar(String text, Style style) {
            this.text = text;
            this.style = style;
            analyze();
        }

        static Scalar of(Object value) {
            if (value == null) {
                return new Scalar("null", Style.PLAIN);
            }
            if (value instanceof Boolean b) {
                return new Scalar(b.toString(), Style.PLAIN);
            }
            if (value instanceof Long || value instanceof Integer || value instanceof BigInteger) {
                return new Scalar(value.toString(), Style.PLAIN);
            }
            if (value instanceof Double d) {
                // The JSON round trip turns 1.0 into 1, and go-yaml reads it back as an integer.
                String json = GoScalars.jsonFloat(d);
                Object back = GoScalars.resolve(json);
                return new Scalar(back instanceof Double again ? GoScalars.formatFloat(again, false) : json, Style.PLAIN);
            }
            if (value instanceof String s) {
                Style style;
                if (s.contains("\n")) {
                    style = Style.LITERAL;
                } else if (!GoScalars.needsQuotes(s)) {
                    style = Style.PLAIN;
                } else {
                    style = Style.DOUBLE;
                }
                return new Scalar(s, style);
            }
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as YAML: " + value);
        }

        boolean simpleKeyAllowed() {
            return !multiline && text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 128;
        }

        Style select(boolean simpleKey) {
            Style chosen = style;
            if (simpleKey && multiline) {
                chosen = Style.DOUBLE;
            }
            if (chosen == Style.PLAIN) {
                if (!blockPlainAllowed || (text.isEmpty() && simpleKey)) {
                    chosen = Style.SINGLE;
                }
            }
            if (chosen == Style.SINGLE && !singleQuotedAllowed) {
                chosen = Style.DOUBLE;
            }
            if (chosen == Style.LITERAL && (!blockAllowed || simpleKey)) {
                chosen = Style.DOUBLE;
            }
            return chosen;
        }

        private void analyze() {
            int[] v = text.codePoints().toArray();
            if (v.length == 0) {
                blockAllowed = false;
                return;
            }
            boolean blockIndicators = false;
            boolean lineBreaks = false;
            boolean special = false;
            boolean leadingSpace = false;
            boolean leadingBreak = false;
            boolean trailingSpace = false;
            boolean trailingBreak = false;
            boolean breakSpace = false;
            boolean spaceBreak = false;
            boolean previousSpace = false;
            boolean previousBreak = false;
            if (text.startsWith("---") || text.startsWith("...")) {
                blockIndicators = true;
            }
            boolean precededByWhitespace = true;
            for (int i = 0; i < v.length; i++) {
                int c = v[i];
                boolean followedByWhitespace = i + 1 >= v.length || v[i + 1] == ' ' || v[i + 1] == '\t' || isBreak(v[i + 1]);
                if (i == 0) {
                    switch (c) {
                        case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`' -> blockIndicators = true;
                        case '?', ':' -> blockIndicators |= followedByWhitespace;
                        case '-' -> blockIndicators |= followedByWhitespace;
                        default -> { }
                    }
                } else {
                    if (c == ':' && followedByWhitespace) {
                        blockIndicators = true;
                    } else if (c == '#' && precededByWhitespace) {
                        blockIndicators = true;
                    }
                }
                if (!isPrintable(c)) {
                    special = true;
                }
                if (c == ' ') {
                    if (i == 0) {
                        leadingSpace = true;
                    }
                    if (i == v.length - 1) {
                        trailingSpace = true;
                    }
                    if (previousBreak) {
                        breakSpace = true;
                    }
                    previousSpace = true;
                    previousBreak = false;
                } else if (isBreak(c)) {
                    lineBreaks = true;
                    if (i == 0) {
                        leadingBreak = true;
                    }
                    if (i == v.length - 1) {
                        trailingBreak = true;
                    }
                    if (previousSpace) {
                        spaceBreak = true;
                    }
                    previousSpace = false;
                    previousBreak = true;
                } else {
                    previousSpace = false;
                    previousBreak = false;
                }
                precededByWhitespace = c == ' ' || c == '\t' || isBreak(c) || c == 0;
            }
            multiline = lineBreaks;
            if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
                blockPlainAllowed = false;
            }
            if (trailingSpace) {
                blockAllowed = false;
            }
            if (breakSpace) {
                blockPlainAllowed = false;
                singleQuotedAllowed = false;
            }
            if (spaceBreak || special) {
                blockPlainAllowed = false;
                singleQuotedAllowed = false;
                blockAllowed = false;
            }
            if (lineBreaks || blockIndicators) {
                blockPlainAllowed = false;
            }
        }
    }
}
