package dev.castle.rules;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.castle.load.Node;
import dev.castle.model.Canary;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * The service's ConfigMap: each key once and one Kubernetes takes (not {@code .}, {@code ..} nor
 * beginning with {@code ..}, which the kubelet keeps for itself), files readable text inside the
 * descriptor's folder, at most 1 MB in all (data and files, also with the canary's data).
 */
final class ConfigRules {
    static final long MAX_CONFIG_BYTES = 1_000_000;

    static final List<Rule.OfService> SERVICE = List.of(ConfigRules::keyInDataOrFiles, ConfigRules::configFilesAreReadable,
            ConfigRules::configFitsInConfigMap, ConfigRules::keysAreConfigMapKeys);

    private ConfigRules() {
    }

    static void keyInDataOrFiles(Service s, SystemModel system, Findings out) {
        s.configuration().config().ifPresent(config -> config.files().keySet().stream().filter(config.data()::containsKey)
                .forEach(key -> out.errorAtKey(s.declared().at("config/files/" + Node.escapePointerToken(key)),
                        "config key '" + key + "' is both in data and in files", "each key once")));
    }

    static void configFilesAreReadable(Service s, SystemModel system, Findings out) {
        s.configuration().config().ifPresent(config -> config.files().forEach((key, file) -> file.problem().ifPresent(problem ->
                out.error(s.declared().at("config/files/" + Node.escapePointerToken(key)), problem,
                        "a UTF-8 text file in the descriptor's folder or below it, at most 1 MiB"))));
    }

    static void configFitsInConfigMap(Service s, SystemModel system, Findings out) {
        s.configuration().config().ifPresent(config -> {
            Map<String, Long> sizes = new java.util.TreeMap<>();
            config.data().forEach((key, value) -> sizes.put(key, bytes(value)));
            config.files().forEach((key, file) -> sizes.put(key, file.size()));
            long total = sizes.values().stream().mapToLong(Long::longValue).sum();
            if (total > MAX_CONFIG_BYTES) {
                out.error(s.declared().at("config"), "the config's data and files add up to " + total + " bytes", "at most " + MAX_CONFIG_BYTES
                        + " bytes (a ConfigMap holds at most 1 MiB)");
                return;
            }
            s.canary().map(Canary::configData).filter(data -> !data.isEmpty()).ifPresent(data -> {
                data.forEach((key, value) -> sizes.put(key, bytes(value)));
                long canary = sizes.values().stream().mapToLong(Long::longValue).sum();
                if (canary > MAX_CONFIG_BYTES) {
                    out.error(s.declared().at("canary/config"), "the canary's config data and files add up to " + canary + " bytes",
                            "at most " + MAX_CONFIG_BYTES + " bytes (a ConfigMap holds at most 1 MiB)");
                }
            });
        });
    }

    private static long bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8).length;
    }

    static void keysAreConfigMapKeys(Service s, SystemModel system, Findings out) {
        s.configuration().config().ifPresent(config -> {
            config.data().keySet().stream().filter(key -> !isKey(key)).forEach(key ->
                    out.errorAtKey(s.declared().at("config/data/" + Node.escapePointerToken(key)), "'" + key + "' cannot be a ConfigMap key",
                            KEYS));
            config.files().keySet().stream().filter(key -> !isKey(key)).forEach(key ->
                    out.errorAtKey(s.declared().at("config/files/" + Node.escapePointerToken(key)), "'" + key + "' cannot be a ConfigMap key",
                            KEYS));
        });
        s.canary().map(Canary::configData).orElse(Map.of()).keySet().stream().filter(key -> !isKey(key)).forEach(key ->
                out.errorAtKey(s.declared().at("canary/config/data/" + Node.escapePointerToken(key)), "'" + key + "' cannot be a ConfigMap key",
                        KEYS));
    }

    private static final String KEYS = "letters, digits, '-', '_' and '.', at most 253, not '.' nor '..' nor beginning with '..'"
            + " (the kubelet's own names in a mounted ConfigMap)";

    /** A ConfigMap key as the API server takes one. */
    static boolean isKey(String key) {
        return key.length() <= 253 && key.matches("[-._a-zA-Z0-9]+") && !key.equals(".") && !key.startsWith("..");
    }
}
