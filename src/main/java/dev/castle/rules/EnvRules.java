package dev.castle.rules;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import dev.castle.load.Node;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/** Environment variables: no secret in plain text, config references to keys that exist. */
final class EnvRules {
    static final Pattern SECRET_NAME = Pattern.compile(
            "(^|_)(PASSWORD|PASSWD|PWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)(_|$)");

    static final List<Rule.OfService> SERVICE = List.of(EnvRules::noSecretInPlainText, EnvRules::configKeyExists);

    private EnvRules() {
    }

    static boolean looksSecret(String name) {
        return SECRET_NAME.matcher(name.toUpperCase(Locale.ROOT)).find();
    }

    static void noSecretInPlainText(Service s, SystemModel system, Findings out) {
        for (Service.EnvVar env : s.container().env()) {
            if (!(env instanceof Service.Literal literal) || !looksSecret(literal.name()) || literal.notSecret()) {
                continue;
            }
            String at = s.declared().at("env/" + Node.escapePointerToken(literal.name()));
            boolean longForm = s.declared().has("env/" + Node.escapePointerToken(literal.name()) + "/value");
            if (longForm) {
                out.errorAtKey(at, "'" + literal.name() + "' looks like a secret but is written as plain text",
                        "reference an existing Secret with {secret: NAME, key: KEY}, or add notSecret: true");
            } else if (!literal.value().isEmpty()) {
                out.errorAtKey(at, "'" + literal.name() + "' looks like a secret but is written as plain text",
                        "reference an existing Secret: " + literal.name() + ": {secret: NAME, key: KEY}; or, if it is no secret, "
                                + literal.name() + ": {value: ..., notSecret: true}");
            }
        }
    }

    static void configKeyExists(Service s, SystemModel system, Findings out) {
        Set<String> keys = s.configuration().config().map(Service.Config::keys).orElse(new TreeSet<>());
        for (Service.EnvVar env : s.container().env()) {
            if (env instanceof Service.ConfigKey ref && !keys.contains(ref.key())) {
                out.error(s.declared().at("env/" + Node.escapePointerToken(ref.name()) + "/config"),
                        "'" + ref.key() + "' is not a key of this service's config",
                        Findings.oneOf(keys, "add it under config.data"));
            }
        }
    }
}
