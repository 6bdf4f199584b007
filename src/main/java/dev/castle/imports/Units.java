package dev.castle.imports;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations, byte sizes and CPU counts as Compose writes them, in Kubernetes terms. */
final class Units {
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|ms|m|s|us|µs|ns)");
    private static final Pattern BYTES = Pattern.compile("^(\\d+(?:\\.\\d+)?)\\s*([bkmgt]?)b?$");

    private Units() {
    }

    /** Whole seconds (rounded up, at least {@code min}) of a Go duration such as {@code 1m30s} or {@code 500ms}. */
    static Optional<Integer> seconds(String duration, int min) {
        String text = duration.trim();
        if (text.matches("\\d+")) {
            return Optional.of(Math.max(min, Integer.parseInt(text)));
        }
        Matcher m = DURATION_PART.matcher(text);
        double total = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                return Optional.empty();
            }
            double value = Double.parseDouble(m.group(1));
            total += switch (m.group(2)) {
                case "h" -> value * 3600;
                case "m" -> value * 60;
                case "s" -> value;
                case "ms" -> value / 1000;
                default -> value / 1_000_000;
            };
            end = m.end();
        }
        if (end != text.length() || end == 0) {
            return Optional.empty();
        }
        return Optional.of(Math.max(min, (int) Math.ceil(total)));
    }

    /** A Kubernetes quantity of a Compose byte size ({@code 512m} is 512 MiB in Docker's binary units). */
    static Optional<String> memory(String size) {
        Matcher m = BYTES.matcher(size.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        BigDecimal value = new BigDecimal(m.group(1));
        String unit = switch (m.group(2)) {
            case "k" -> "Ki";
            case "m" -> "Mi";
            case "g" -> "Gi";
            case "t" -> "Ti";
            default -> "";
        };
        if (value.stripTrailingZeros().scale() > 0) {
            // 1.5g: in the next smaller unit
            return switch (unit) {
                case "Gi" -> Optional.of(value.multiply(BigDecimal.valueOf(1024)).setScale(0, RoundingMode.CEILING) + "Mi");
                case "Mi" -> Optional.of(value.multiply(BigDecimal.valueOf(1024)).setScale(0, RoundingMode.CEILING) + "Ki");
                case "Ti" -> Optional.of(value.multiply(BigDecimal.valueOf(1024)).setScale(0, RoundingMode.CEILING) + "Gi");
                default -> Optional.of(value.setScale(0, RoundingMode.CEILING).toPlainString());
            };
        }
        return Optional.of(value.toBigInteger() + unit);
    }

    /** Millicores of a CPU count such as {@code 0.5} or {@code 2}. */
    static Optional<String> cpu(String cpus) {
        try {
            BigDecimal value = new BigDecimal(cpus.trim());
            if (value.signum() <= 0) {
                return Optional.empty();
            }
            return Optional.of(value.multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.CEILING) + "m");
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Millicores (or bytes) as a number to compare quantities written by {@link #cpu} and {@link #memory}. */
    static double magnitude(String quantity) {
        Matcher m = Pattern.compile("^(\\d+(?:\\.\\d+)?)(m|Ki|Mi|Gi|Ti)?$").matcher(quantity);
        if (!m.matches()) {
            return 0;
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        return switch (unit) {
            case "m" -> v;
            case "Ki" -> v * 1024;
            case "Mi" -> v * 1024 * 1024;
            case "Gi" -> v * 1024 * 1024 * 1024;
            case "Ti" -> v * 1024d * 1024 * 1024 * 1024;
            default -> v;
        };
    }
}
