package dev.castle.rules;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cron schedules as Kubernetes reads a CronJob's {@code spec.schedule} (the standard parser of
 * robfig/cron v3): five fields (minute 0-59, hour 0-23, day of month 1-31, month 1-12 or JAN-DEC,
 * day of week 0-6 or SUN-SAT), each a comma-separated list of {@code *}, {@code ?}, {@code N} or
 * {@code N-M}, each with an optional {@code /STEP}; or a descriptor ({@code @daily}, {@code @every 1h}).
 */
public final class Cron {
    private record Field(String name, int min, int max, List<String> names) {
    }

    private static final List<Field> FIELDS = List.of(
            new Field("minute", 0, 59, List.of()),
            new Field("hour", 0, 23, List.of()),
            new Field("day of month", 1, 31, List.of()),
            new Field("month", 1, 12, List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")),
            new Field("day of week", 0, 6, List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat")));
    private static final List<String> DESCRIPTORS = List.of("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly");
    private static final Pattern EVERY = Pattern.compile("@every ((\\d+(\\.\\d+)?(ns|us|µs|ms|s|m|h))+)");
    private static final Pattern RANGE = Pattern.compile("([^-/]+)(?:-([^-/]+))?(?:/(.*))?");

    private Cron() {
    }

    /** What is wrong with the schedule, or empty when Kubernetes accepts it. */
    public static Optional<String> problem(String schedule) {
        String text = schedule.strip();
        if (text.startsWith("TZ=") || text.startsWith("CRON_TZ=")) {
            return Optional.of("a time zone in the schedule (Kubernetes refuses it; use timeZone)");
        }
        if (text.startsWith("@")) {
            if (DESCRIPTORS.contains(text.toLowerCase(Locale.ROOT)) || EVERY.matcher(text).matches()) {
                return Optional.empty();
            }
            return Optional.of("unknown descriptor '" + text + "'");
        }
        String[] parts = text.split("\\s+");
        if (parts.length != FIELDS.size()) {
            return Optional.of(parts.length + " fields, not 5");
        }
        for (int i = 0; i < parts.length; i++) {
            Optional<String> problem = field(parts[i], FIELDS.get(i));
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    /**
     * What is wrong with a schedule of six fields, seconds first (0-59), as CloudNativePG's
     * ScheduledBackup reads it; the other five as {@link #problem(String)}.
     */
    public static Optional<String> problemWithSeconds(String schedule) {
        String[] parts = schedule.strip().split("\\s+", 2);
        if (parts.length < 2 || parts[1].startsWith("@")) {
            return Optional.of("not six fields, seconds first");
        }
        Optional<String> seconds = field(parts[0], SECOND);
        return seconds.isPresent() ? seconds : problem(parts[1]).map(p -> p.replace("fields, not 5", "fields after the seconds, not 5"));
    }

    private static final Field SECOND = new Field("second", 0, 59, List.of());

    private static Optional<String> field(String text, Field field) {
        for (String item : text.split(",", -1)) {
            Matcher m = RANGE.matcher(item);
            if (!m.matches()) {
                return Optional.of("the " + field.name() + " field '" + text + "' is not a list of values or ranges");
            }
            boolean star = m.group(1).equals("*") || m.group(1).equals("?");
            Integer start = star ? Integer.valueOf(field.min()) : value(m.group(1), field);
            Integer end = star ? Integer.valueOf(field.max()) : m.group(2) == null ? start : value(m.group(2), field);
            if (star && m.group(2) != null) {
                return Optional.of("the " + field.name() + " field '" + text + "' has a range after '*'");
            }
            if (start == null || end == null) {
                return Optional.of("the " + field.name() + " field '" + text + "' is not between " + field.min() + " and " + field.max()
                        + (field.names().isEmpty() ? "" : " (or " + field.names().get(0).toUpperCase(Locale.ROOT) + "-"
                        + field.names().get(field.names().size() - 1).toUpperCase(Locale.ROOT) + ")"));
            }
            if (start > end) {
                return Optional.of("the " + field.name() + " range '" + item + "' ends before it starts");
            }
            if (m.group(3) != null) {
                if (!m.group(3).matches("\\d{1,9}") || Integer.parseInt(m.group(3)) == 0) {
                    return Optional.of("the " + field.name() + " step '" + m.group(3) + "' is not a positive number");
                }
            }
        }
        return Optional.empty();
    }

    private static Integer value(String text, Field field) {
        int named = field.names().indexOf(text.toLowerCase(Locale.ROOT));
        if (named >= 0) {
            return named + (field.min() == 1 ? 1 : 0);
        }
        if (!text.matches("\\d{1,9}")) {
            return null;
        }
        int value = Integer.parseInt(text);
        return value < field.min() || value > field.max() ? null : value;
    }
}
