package dev.castle.imports;

import java.util.Locale;
import java.util.regex.Pattern;

/** Names castle accepts, made from names other formats allow. */
final class Names {
    static final Pattern DNS_LABEL = Pattern.compile("^[a-z]([-a-z0-9]*[a-z0-9])?$");
    static final Pattern PORT_NAME = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
    static final Pattern ENV_NAME = Pattern.compile("^[-._a-zA-Z][-._a-zA-Z0-9]*$");
    /** Variable names castle refuses as plain text (the same words as castle's own rule). */
    static final Pattern SECRET_NAME = Pattern.compile(
            "(^|_)(PASSWORD|PASSWD|PWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)(_|$)");

    private Names() {
    }

    /** A DNS label (lowercase letters, digits, '-', starting with a letter) of at most {@code max} characters. */
    static String dnsLabel(String raw, int max) {
        String name = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("-+", "-");
        name = name.replaceAll("^-+", "");
        if (name.isEmpty() || !Character.isLetter(name.charAt(0))) {
            name = "x-" + name;
        }
        if (name.length() > max) {
            name = name.substring(0, max);
        }
        name = name.replaceAll("-+$", "");
        return name;
    }

    static boolean looksSecret(String variable) {
        return SECRET_NAME.matcher(variable.toUpperCase(Locale.ROOT)).find();
    }
}
