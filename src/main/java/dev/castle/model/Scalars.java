package dev.castle.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;

/** YAML 1.1 scalar values as SnakeYAML resolves them (0x1F, 0o17, 1_000, yes/no/on/off, .inf). */
public final class Scalars {
    private Scalars() {
    }

    public static boolean booleanValue(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "y", "on" -> true;
            default -> false;
        };
    }

    /** The integer a YAML 1.1 int scalar denotes, or null when it is not one (sexagesimal, for example). */
    public static BigInteger integerValue(String text) {
        String t = text.replace("_", "");
        int sign = 1;
        if (t.startsWith("-") || t.startsWith("+")) {
            sign = t.startsWith("-") ? -1 : 1;
            t = t.substring(1);
        }
        try {
            BigInteger value;
            if (t.startsWith("0x")) {
                value = new BigInteger(t.substring(2), 16);
            } else if (t.startsWith("0b")) {
                value = new BigInteger(t.substring(2), 2);
            } else if (t.startsWith("0o")) {
                value = new BigInteger(t.substring(2), 8);
            } else if (t.length() > 1 && t.startsWith("0")) {
                value = new BigInteger(t.substring(1), 8);
            } else {
                value = new BigInteger(t);
            }
            return sign < 0 ? value.negate() : value;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The whole number a scalar denotes: an int in any YAML 1.1 form, or a float with no fraction
     * ({@code 3.0}, which JSON Schema also counts as an integer); null otherwise.
     */
    public static BigInteger integral(dev.castle.load.Node.ScalarNode scalar) {
        if (scalar.type() == dev.castle.load.Node.ScalarType.INTEGER) {
            return integerValue(scalar.text());
        }
        if (scalar.type() == dev.castle.load.Node.ScalarType.FLOAT) {
            BigDecimal value = decimalValue(scalar.text());
            if (value != null && value.signum() == 0) {
                return BigInteger.ZERO;
            }
            if (value != null && value.stripTrailingZeros().scale() <= 0) {
                return value.toBigIntegerExact();
            }
        }
        return null;
    }

    /** A number scalar in plain decimal notation (1_000 -> 1000, 0x10 -> 16, 1e3 -> 1000); other text as written. */
    public static String plainNumber(dev.castle.load.Node.ScalarNode scalar) {
        if (scalar.type() == dev.castle.load.Node.ScalarType.INTEGER) {
            BigInteger value = integerValue(scalar.text());
            return value == null ? scalar.text() : value.toString();
        }
        if (scalar.type() == dev.castle.load.Node.ScalarType.FLOAT) {
            BigDecimal value = decimalValue(scalar.text());
            return value == null ? scalar.text() : value.stripTrailingZeros().toPlainString();
        }
        return scalar.text();
    }

    public static BigDecimal decimalValue(String text) {
        try {
            return new BigDecimal(text.replace("_", ""));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
