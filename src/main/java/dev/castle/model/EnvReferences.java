package dev.castle.model;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code $(NAME)} references in an environment variable's value, as Kubernetes expands them:
 * {@code $$} stands for a literal {@code $} (so {@code $$(NAME)} is no reference), and only a
 * variable defined earlier in the container's list (or by envFrom) replaces its reference; any
 * other {@code $(...)} stays as written.
 */
public final class EnvReferences {
    /** A name Kubernetes accepts for an environment variable. */
    public static final Pattern NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

    private EnvReferences() {
    }

    /** The names referenced, in order of first appearance, each once. */
    public static List<String> in(String value) {
        List<String> names = new ArrayList<>();
        int i = 0;
        while (i < value.length()) {
            if (value.charAt(i) != '$' || i + 1 >= value.length()) {
                i++;
                continue;
            }
            char next = value.charAt(i + 1);
            if (next == '$') {
                i += 2;
                continue;
            }
            int close = next == '(' ? value.indexOf(')', i + 2) : -1;
            if (close < 0) {
                i++;
                continue;
            }
            String name = value.substring(i + 2, close);
            if (NAME.matcher(name).matches() && !names.contains(name)) {
                names.add(name);
            }
            i = close + 1;
        }
        return List.copyOf(names);
    }
}
