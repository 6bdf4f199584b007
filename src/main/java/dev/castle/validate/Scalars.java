package dev.castle.validate;

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

    public static BigDecimal decimalValue(String text) {
        try {
            return new BigDecimal(text.replace("_", ""));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
