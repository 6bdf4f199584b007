package dev.castle.rules;

import java.util.List;
import java.util.Map;

import dev.castle.load.Node;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/** The service's ConfigMap: each key once, files readable text inside the descriptor's folder, at most 1 MB. */
final class ConfigRules {
    static final long MAX_CONFIG_BYTES = 1_000_000;

    static final List<Rule.OfService> SERVICE = List.of(ConfigRules::keyInDataOrFiles, ConfigRules::configFilesAreReadable,
            ConfigRules::configFitsInConfigMap);

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
            long total = 0;
            for (Map.Entry<String, Service.ConfigFile> file : config.files().entrySet()) {
                total += file.getValue().size();
            }
            if (total > MAX_CONFIG_BYTES) {
                out.error(s.declared().at("config"), "config files add up to " + total + " bytes", "at most " + MAX_CONFIG_BYTES
                        + " bytes (a ConfigMap holds at most 1 MiB)");
            }
        });
    }
}
