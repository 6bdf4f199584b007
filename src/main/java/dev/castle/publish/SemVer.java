package dev.castle.publish;

import java.math.BigInteger;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chart version as Helm reads it (Masterminds semver v3, the lenient parser): {@code 1.2.3},
 * {@code v1.2}, {@code 1.0.0-rc.1+build}. Ordered as SemVer orders versions; build metadata does
 * not count.
 */
record SemVer(BigInteger major, BigInteger minor, BigInteger patch, String prerelease, String metadata)
        implements Comparable<SemVer> {
    private static final Pattern PATTERN = Pattern.compile(
            "v?([0-9]+)(\\.[0-9]+)?(\\.[0-9]+)?(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?");

    static Optional<SemVer> parse(String text) {
        Matcher m = PATTERN.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        String pre = m.group(5) == null ? "" : m.group(5);
        for (String part : pre.isEmpty() ? new String[0] : pre.split("\\.")) {
            if (part.length() > 1 && part.charAt(0) == '0' && part.chars().allMatch(Character::isDigit)) {
                return Optional.empty(); // a numeric identifier with a leading zero
            }
        }
        return Optional.of(new SemVer(new BigInteger(m.group(1)), number(m.group(2)), number(m.group(3)), pre,
                m.group(8) == null ? "" : m.group(8)));
    }

    private static BigInteger number(String dotted) {
        return dotted == null ? BigInteger.ZERO : new BigInteger(dotted.substring(1));
    }

    @Override
    public int compareTo(SemVer o) {
        int c = major.compareTo(o.major);
        if (c == 0) {
            c = minor.compareTo(o.minor);
        }
        if (c == 0) {
            c = patch.compareTo(o.patch);
        }
        if (c != 0) {
            return c;
        }
        if (prerelease.equals(o.prerelease)) {
            return 0;
        }
        if (prerelease.isEmpty()) {
            return 1;
        }
        if (o.prerelease.isEmpty()) {
            return -1;
        }
        String[] a = prerelease.split("\\.");
        String[] b = o.prerelease.split("\\.");
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            int p = comparePart(a[i], b[i]);
            if (p != 0) {
                return p;
            }
        }
        return Integer.compare(a.length, b.length);
    }

    private static int comparePart(String a, String b) {
        boolean an = a.chars().allMatch(Character::isDigit);
        boolean bn = b.chars().allMatch(Character::isDigit);
        if (an && bn) {
            return new BigInteger(a).compareTo(new BigInteger(b));
        }
        if (an) {
            return -1;
        }
        if (bn) {
            return 1;
        }
        return a.compareTo(b);
    }
}
