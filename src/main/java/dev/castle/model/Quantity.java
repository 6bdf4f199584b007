package dev.castle.model;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kubernetes resource quantities: parsing to base units, comparing, scaling. */
public final class Quantity {
    private static final Pattern FORM = Pattern.compile("^\\+?([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|e[0-9]+)?$");
    private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
            Map.entry("", BigDecimal.ONE),
            Map.entry("m", new BigDecimal("0.001")),
            Map.entry("k", BigDecimal.TEN.pow(3)),
            Map.entry("M", BigDecimal.TEN.pow(6)),
            Map.entry("G", BigDecimal.TEN.pow(9)),
            Map.entry("T", BigDecimal.TEN.pow(12)),
            Map.entry("P", BigDecimal.TEN.pow(15)),
            Map.entry("E", BigDecimal.TEN.pow(18)),
            Map.entry("Ki", BigDecimal.valueOf(2).pow(10)),
            Map.entry("Mi", BigDecimal.valueOf(2).pow(20)),
            Map.entry("Gi", BigDecimal.valueOf(2).pow(30)),
            Map.entry("Ti", BigDecimal.valueOf(2).pow(40)),
            Map.entry("Pi", BigDecimal.valueOf(2).pow(50)),
            Map.entry("Ei", BigDecimal.valueOf(2).pow(60)));

    private Quantity() {
    }

    public static boolean isValid(String text) {
        return FORM.matcher(text).matches();
    }

    /** The amount in base units (cores, bytes). */
    public static BigDecimal parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a quantity: " + text);
        }
        BigDecimal number = new BigDecimal(m.group(1));
        String suffix = m.group(2) == null ? "" : m.group(2);
        if (suffix.startsWith("e")) {
            return number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
        }
        return number.multiply(SUFFIXES.get(suffix));
    }

    /** cpu in millicores, as Kubernetes prints it: 500m, 2. */
    public static String cpu(BigDecimal cores) {
        BigDecimal millis = cores.multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.CEILING);
        if (millis.remainder(BigDecimal.valueOf(1000)).signum() == 0) {
            return millis.divide(BigDecimal.valueOf(1000)).toPlainString();
        }
        return millis.toPlainString() + "m";
    }

    /** bytes in the largest binary unit that divides them: 256Mi, 1Gi. */
    public static String memory(BigDecimal bytes) {
        BigDecimal whole = bytes.setScale(0, RoundingMode.CEILING);
        String[] units = {"Ei", "Pi", "Ti", "Gi", "Mi", "Ki"};
        for (String unit : units) {
            BigDecimal size = SUFFIXES.get(unit);
            if (whole.compareTo(size) >= 0 && whole.remainder(size).signum() == 0) {
                return whole.divide(size).toPlainString() + unit;
            }
        }
        return whole.toPlainString();
    }
}
