package dev.castle.publish;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How Helm's YAML library (go-yaml v2 under sigs.k8s.io/yaml) reads a plain scalar, and how Go
 * formats numbers: the rules castle needs to read Chart.yaml, Chart.lock and index.yaml as Helm
 * reads them and to write them as Helm writes them.
 *
 * <p>A plain scalar resolves to {@code null}, a {@link Boolean} ({@code y}, {@code yes}, {@code on},
 * ... as YAML 1.1 says), a {@link Long} or {@link BigInteger} ({@code 0x1F}, {@code 017},
 * {@code 1_000}), a {@link Double} ({@code 1.5}, {@code .inf}), or stays a {@link String}
 * (timestamps stay text, as go-yaml v2 keeps them when it decodes into an untyped value).
 */
final class GoScalars {
    /** Marker for a timestamp: a string when decoded, but a plain string that would need quotes. */
    static final Object TIMESTAMP = new Object();

    private static final Map<String, Object> KNOWN = Map.ofEntries(
            Map.entry("y", true), Map.entry("Y", true), Map.entry("yes", true), Map.entry("Yes", true), Map.entry("YES", true),
            Map.entry("true", true), Map.entry("True", true), Map.entry("TRUE", true),
            Map.entry("on", true), Map.entry("On", true), Map.entry("ON", true),
            Map.entry("n", false), Map.entry("N", false), Map.entry("no", false), Map.entry("No", false), Map.entry("NO", false),
            Map.entry("false", false), Map.entry("False", false), Map.entry("FALSE", false),
            Map.entry("off", false), Map.entry("Off", false), Map.entry("OFF", false),
            Map.entry(".nan", Double.NaN), Map.entry(".NaN", Double.NaN), Map.entry(".NAN", Double.NaN),
            Map.entry(".inf", Double.POSITIVE_INFINITY), Map.entry(".Inf", Double.POSITIVE_INFINITY),
            Map.entry(".INF", Double.POSITIVE_INFINITY), Map.entry("+.inf", Double.POSITIVE_INFINITY),
            Map.entry("+.Inf", Double.POSITIVE_INFINITY), Map.entry("+.INF", Double.POSITIVE_INFINITY),
            Map.entry("-.inf", Double.NEGATIVE_INFINITY), Map.entry("-.Inf", Double.NEGATIVE_INFINITY),
            Map.entry("-.INF", Double.NEGATIVE_INFINITY));
    private static final java.util.Set<String> NULLS = java.util.Set.of("", "~", "null", "Null", "NULL");
    private static final Pattern YAML_FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    private static final Pattern BASE60_FLOAT = Pattern.compile("[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?");
    private static final Pattern GO_FLOAT = Pattern.compile(
            "[-+]?(?:(?:[0-9](?:_?[0-9])*)?\\.?[0-9]*(?:_?[0-9])*(?:[eE][-+]?[0-9]+)?|[iI]nf(?:inity)?|NaN)");
    private static final Pattern TIMESTAMP_SHAPE = Pattern.compile(
            "([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
                    + "(?:([Tt ])([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(\\.[0-9]+)?(Z|[-+][0-9]{2}:[0-9]{2})?)?");

    private GoScalars() {
    }

    /**
     * What go-yaml v2 makes of a plain (unquoted, untagged) scalar: null, Boolean, Long, BigInteger,
     * Double, {@link #TIMESTAMP} for a timestamp, or the text itself.
     */
    static Object resolve(String text) {
        if (NULLS.contains(text)) {
            return null;
        }
        char first = text.charAt(0);
        boolean hint = first == '+' || first == '-' || first == '.' || (first >= '0' && first <= '9')
                || "yYnNtTfFoO~".indexOf(first) >= 0;
        if (!hint) {
            return text;
        }
        Object known = KNOWN.get(text);
        if (known != null) {
            return known;
        }
        if (first == '.') {
            Double value = goParseFloat(text);
            return value == null ? text : value;
        }
        if (first == '+' || first == '-' || (first >= '0' && first <= '9')) {
            if (isTimestamp(text)) {
                return TIMESTAMP;
            }
            String plain = text.replace("_", "");
            Object integer = goParseInt(plain);
            if (integer != null) {
                return integer;
            }
            if (YAML_FLOAT.matcher(plain).matches()) {
                Double value = goParseFloat(plain);
                if (value != null) {
                    return value;
                }
            }
            if (plain.startsWith("0b") || plain.startsWith("-0b")) {
                boolean negative = plain.startsWith("-");
                String digits = plain.substring(negative ? 3 : 2);
                if (!digits.isEmpty() && digits.chars().allMatch(c -> c == '0' || c == '1')) {
                    BigInteger value = new BigInteger(digits, 2);
                    return narrow(negative ? value.negate() : value);
                }
            }
        }
        return text;
    }

    /** Whether go-yaml v2 writes this string in quotes because, plain, it would read as something else. */
    static boolean needsQuotes(String text) {
        Object resolved = resolve(text);
        return !(resolved instanceof String) || BASE60_FLOAT.matcher(text).matches();
    }

    /** The text a YAML value becomes in one of Helm's string fields (sigs.k8s.io/yaml's conversion). */
    static String asGoString(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Boolean b) {
            return b.toString();
        }
        if (value instanceof Long || value instanceof BigInteger) {
            return value.toString();
        }
        if (value instanceof Double d) {
            return formatFloat(d, true);
        }
        throw new IllegalArgumentException("not a scalar: " + value);
    }

    /** Go's strconv.FormatFloat(v, 'g', -1, 64 or 32): the shortest text that reads back the same. */
    static String formatFloat(double value, boolean float32) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == 0) {
            return (1 / value < 0) ? "-0" : "0";
        }
        BigDecimal shortest = new BigDecimal(float32 ? Float.toString((float) value) : Double.toString(value)).stripTrailingZeros();
        boolean negative = shortest.signum() < 0;
        String digits = shortest.unscaledValue().abs().toString();
        int exponent = digits.length() - shortest.scale() - 1;
        StringBuilder out = new StringBuilder(negative ? "-" : "");
        if (exponent < -4 || exponent >= 6) { // %e, as 'g' does for the shortest precision
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            out.append('e').append(exponent < 0 ? '-' : '+');
            int e = Math.abs(exponent);
            out.append(e < 10 ? "0" + e : Integer.toString(e));
        } else if (exponent < 0) {
            out.append("0.").append("0".repeat(-exponent - 1)).append(digits);
        } else if (exponent + 1 >= digits.length()) {
            out.append(digits).append("0".repeat(exponent + 1 - digits.length()));
        } else {
            out.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
        }
        return out.toString();
    }

    /** Go's encoding/json number text for a float64. */
    static String jsonFloat(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("JSON has no " + value);
        }
        double abs = Math.abs(value);
        if (abs != 0 && (abs < 1e-6 || abs >= 1e21)) {
            String text = formatFloat(value, false);
            return text.replace("e-0", "e-").replace("e+0", "e+");
        }
        BigDecimal exact = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        return exact.scale() <= 0 ? exact.toBigInteger().toString() : exact.toPlainString();
    }

    private static boolean isTimestamp(String text) {
        var m = TIMESTAMP_SHAPE.matcher(text);
        if (!m.matches()) {
            return false;
        }
        int month = Integer.parseInt(m.group(2));
        int day = Integer.parseInt(m.group(3));
        if (month < 1 || month > 12 || day < 1 || day > java.time.YearMonth.of(Integer.parseInt(m.group(1)), month).lengthOfMonth()) {
            return false;
        }
        if (m.group(4) == null) {
            return true;
        }
        boolean spaced = " ".equals(m.group(4));
        if (spaced ? m.group(9) != null : m.group(9) == null) {
            return false; // "T" needs a zone; a space allows none
        }
        return Integer.parseInt(m.group(5)) < 24 && Integer.parseInt(m.group(6)) < 60 && Integer.parseInt(m.group(7)) < 60;
    }

    /** Go's strconv.ParseInt(s, 0, 64), falling back to ParseUint: 0x, 0o, 0b and leading-0 octal. */
    private static Object goParseInt(String text) {
        String s = text;
        boolean negative = false;
        if (s.startsWith("+") || s.startsWith("-")) {
            negative = s.startsWith("-");
            s = s.substring(1);
        }
        int radix = 10;
        if (s.length() > 1 && s.charAt(0) == '0') {
            char p = Character.toLowerCase(s.charAt(1));
            if (p == 'x') {
                radix = 16;
                s = s.substring(2);
            } else if (p == 'o') {
                radix = 8;
                s = s.substring(2);
            } else if (p == 'b') {
                radix = 2;
                s = s.substring(2);
            } else {
                radix = 8;
                s = s.substring(1);
            }
        }
        if (s.isEmpty()) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), radix) < 0) {
                return null;
            }
        }
        BigInteger value = new BigInteger(s, radix);
        if (negative) {
            value = value.negate();
        }
        if (value.bitLength() < 64) {
            return value.longValue();
        }
        if (!negative && value.bitLength() <= 64) {
            return value; // ParseUint
        }
        return null;
    }

    private static Double goParseFloat(String text) {
        if (!GO_FLOAT.matcher(text).matches() || text.chars().noneMatch(Character::isDigit) && !text.matches("[-+]?([iI]nf(inity)?|NaN)")) {
            return null;
        }
        String s = text.replace("_", "");
        if (s.matches("[-+]?[iI]nf(inity)?")) {
            return s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (s.matches("[-+]?NaN")) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Object narrow(BigInteger value) {
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }
}
