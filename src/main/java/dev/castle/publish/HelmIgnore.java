package dev.castle.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The rules of a chart's {@code .helmignore}, with Helm's own semantics (its {@code pkg/ignore}):
 * one shell glob per line ({@code *}, {@code ?}, {@code [a-z]}; no {@code **}); a pattern without
 * a slash matches a file or folder name anywhere, one with a slash matches the path from the chart
 * folder, a leading slash anchors it there, a trailing slash matches folders only, and {@code !}
 * negates (with Helm's quirk: a path that does not match a negated rule is ignored). Helm always
 * adds {@code templates/.?*}.
 */
final class HelmIgnore {
    private record Rule(boolean negate, boolean mustDir, Predicate<String> match) {
    }

    private final List<Rule> rules = new ArrayList<>();

    private HelmIgnore() {
    }

    /** The rules of a .helmignore file (may be empty), followed by Helm's default rule. */
    static HelmIgnore parse(String text) throws PublishException {
        HelmIgnore ignore = new HelmIgnore();
        int line = 0;
        for (String raw : text.split("\r?\n", -1)) {
            line++;
            try {
                ignore.add(raw);
            } catch (IllegalArgumentException e) {
                throw new PublishException(".helmignore line " + line + ": " + e.getMessage());
            }
        }
        ignore.add("templates/.?*");
        return ignore;
    }

    private void add(String raw) {
        String rule = raw.strip();
        if (rule.isEmpty() || rule.startsWith("#")) {
            return;
        }
        if (rule.contains("**")) {
            throw new IllegalArgumentException("double-star (**) syntax is not supported: " + rule);
        }
        globToRegex(rule); // a pattern that does not compile fails the whole file, as in Helm
        boolean negate = false;
        if (rule.startsWith("!")) {
            negate = true;
            rule = rule.substring(1);
        }
        boolean mustDir = false;
        if (rule.endsWith("/")) {
            mustDir = true;
            rule = rule.substring(0, rule.length() - 1);
        }
        Predicate<String> match;
        if (rule.startsWith("/")) {
            Pattern p = globToRegex(rule.substring(1));
            match = path -> p.matcher(path).matches();
        } else if (rule.contains("/")) {
            Pattern p = globToRegex(rule);
            match = path -> p.matcher(path).matches();
        } else {
            Pattern p = globToRegex(rule);
            match = path -> p.matcher(path.substring(path.lastIndexOf('/') + 1)).matches();
        }
        rules.add(new Rule(negate, mustDir, match));
    }

    /** Whether Helm skips this path (relative to the chart folder, with slashes). */
    boolean ignored(String path, boolean directory) {
        if (path.isEmpty() || path.equals(".") || path.equals("./")) {
            return false;
        }
        for (Rule rule : rules) {
            if (rule.negate()) {
                if (rule.mustDir() && !directory) {
                    return true;
                }
                if (!rule.match().test(path)) {
                    return true;
                }
                continue;
            }
            if (rule.mustDir() && !directory) {
                continue;
            }
            if (rule.match().test(path)) {
                return true;
            }
        }
        return false;
    }

    /** Go's filepath.Match as a regular expression: * and ? stop at a slash, classes do not. */
    static Pattern globToRegex(String glob) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> {
                    re.append("[^/]*");
                    i++;
                }
                case '?' -> {
                    re.append("[^/]");
                    i++;
                }
                case '\\' -> {
                    if (i + 1 >= glob.length()) {
                        throw new IllegalArgumentException("syntax error in pattern: " + glob);
                    }
                    re.append(Pattern.quote(String.valueOf(glob.charAt(i + 1))));
                    i += 2;
                }
                case '[' -> i = characterClass(glob, i, re);
                default -> {
                    re.append(Pattern.quote(String.valueOf(c)));
                    i++;
                }
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    private static int characterClass(String glob, int start, StringBuilder re) {
        int i = start + 1;
        StringBuilder cls = new StringBuilder("[");
        if (i < glob.length() && glob.charAt(i) == '^') {
            cls.append('^');
            i++;
        }
        int ranges = 0;
        while (true) {
            if (i >= glob.length()) {
                throw new IllegalArgumentException("syntax error in pattern: " + glob);
            }
            if (glob.charAt(i) == ']' && ranges > 0) {
                i++;
                break;
            }
            int[] lo = escaped(glob, i);
            i = lo[1];
            int hi = lo[0];
            if (i < glob.length() && glob.charAt(i) == '-') {
                int[] h = escaped(glob, i + 1);
                hi = h[0];
                i = h[1];
                if (hi < lo[0]) {
                    throw new IllegalArgumentException("syntax error in pattern: " + glob);
                }
            }
            cls.append(quoteInClass(lo[0]));
            if (hi != lo[0]) {
                cls.append('-').append(quoteInClass(hi));
            }
            ranges++;
        }
        re.append(cls).append(']');
        return i;
    }

    private static int[] escaped(String glob, int i) {
        if (i >= glob.length() || glob.charAt(i) == '-' || glob.charAt(i) == ']') {
            throw new IllegalArgumentException("syntax error in pattern: " + glob);
        }
        if (glob.charAt(i) == '\\') {
            i++;
            if (i >= glob.length()) {
                throw new IllegalArgumentException("syntax error in pattern: " + glob);
            }
        }
        int c = glob.codePointAt(i);
        return new int[] {c, i + Character.charCount(c)};
    }

    private static String quoteInClass(int c) {
        return String.format("\\x{%x}", c);
    }
}
