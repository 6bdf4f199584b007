package dev.castle.rules;

import java.util.List;

import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * What several services share: a ServiceAccount of {@code serviceAccounts} or a configuration of
 * {@code config} that exists, is used, and whose name {@code <release>-<name>} no service's own
 * object has; shared configuration that can be read and fits a ConfigMap.
 */
final class SharedRules {
    static final List<Rule.OfService> SERVICE = List.of(SharedRules::sharedAccountExists, SharedRules::sharedConfigIsDeclaredAndRead);
    static final List<Rule.OfSystem> SYSTEM = List.of(SharedRules::sharedAccountsAreUsedAndFree, SharedRules::sharedConfigIsUsedAndFits);
    /** The pods' annotation checksum/config-<name> has a name part of at most 63 characters. */
    static final int MAX_CONFIG_NAME = 63 - "config-".length();

    private SharedRules() {
    }

    static void sharedAccountExists(Service s, SystemModel system, Findings out) {
        s.pod().serviceAccount().shared().filter(name -> !system.serviceAccounts().containsKey(name)).ifPresent(name ->
                out.error(s.declared().at("serviceAccount"), "no shared ServiceAccount '" + name + "'", system.serviceAccounts().isEmpty()
                        ? "declare it under the top-level serviceAccounts, or give the service its own: {create, name, annotations, automountToken}"
                        : "one of: " + String.join(", ", system.serviceAccounts().keySet())));
    }

    static void sharedAccountsAreUsedAndFree(SystemModel system, Findings out) {
        for (String name : system.serviceAccounts().keySet()) {
            String at = "/serviceAccounts/" + name;
            String fullname = NameRules.fullname(system, name);
            if (system.services().stream().noneMatch(s -> s.pod().serviceAccount().shared().filter(name::equals).isPresent())) {
                out.warning(at, "no service runs as the shared ServiceAccount '" + name + "'", "serviceAccount: " + name + " in the services that share it");
            }
            for (Service s : system.services()) {
                Service.ServiceAccount own = s.pod().serviceAccount();
                boolean clash = own.shared().isEmpty() && (own.create() && own.name().map(fullname::equals).orElse(s.name().equals(name))
                        || !own.create() && own.name().filter(fullname::equals).isPresent());
                if (clash) {
                    out.error(at, "'" + fullname + "' is also the ServiceAccount of the service '" + s.name() + "'",
                            "another name, or serviceAccount: " + name + " in " + s.name());
                }
            }
            if (fullname.length() > NameRules.MAX_NAME) {
                out.error(at, "the ServiceAccount name '" + fullname + "' has " + fullname.length() + " characters", "at most " + NameRules.MAX_NAME);
            }
        }
    }

    static void sharedConfigIsDeclaredAndRead(Service s, SystemModel system, Findings out) {
        for (Service.SharedConfigUse use : s.configuration().shared()) {
            String at = s.declared().at("sharedConfig/" + use.name());
            if (!system.sharedConfig().containsKey(use.name())) {
                out.errorAtKey(at, "no shared config '" + use.name() + "'", system.sharedConfig().isEmpty()
                        ? "declare it under the top-level config" : "one of: " + String.join(", ", system.sharedConfig().keySet()));
            } else if (!use.envFrom() && use.mountPath().isEmpty() && use.mounts().isEmpty()) {
                out.error(at, "the pods would read nothing of '" + use.name() + "'", "envFrom: true, a mountPath or mounts");
            } else {
                java.util.Set<String> keys = system.sharedConfig().get(use.name()).keys();
                use.mounts().keySet().stream().filter(key -> !keys.contains(key)).forEach(key -> out.errorAtKey(
                        s.declared().at("sharedConfig/" + use.name() + "/mounts/" + dev.castle.load.Node.escapePointerToken(key)),
                        "'" + key + "' is not a key of the shared config '" + use.name() + "'", "one of " + String.join(", ", keys),
                        dev.castle.load.Suggestions.closest(key, keys)));
            }
        }
    }

    static void sharedConfigIsUsedAndFits(SystemModel system, Findings out) {
        system.sharedConfig().forEach((name, config) -> {
            String at = "/config/" + name;
            if (system.services().stream().noneMatch(s -> s.configuration().shared().stream().anyMatch(u -> u.name().equals(name)))) {
                out.warning(at, "no service reads the shared config '" + name + "'", "sharedConfig: {" + name + ": {}} in the services that read it");
            }
            if (system.service(name).isPresent() || system.infrastructure(name).isPresent()) {
                out.errorAtKey(at, "'" + NameRules.fullname(system, name) + "' is also the name of the " + (system.service(name).isPresent()
                        ? "service" : "component") + " '" + name + "' and of its ConfigMap", "another name");
            }
            if (name.length() > MAX_CONFIG_NAME) {
                out.errorAtKey(at, "the pods' annotation checksum/config-" + name + " would be too long", "at most " + MAX_CONFIG_NAME + " characters");
            }
            long total = 0;
            for (var entry : config.files().entrySet()) {
                String fileAt = at + "/files/" + dev.castle.load.Node.escapePointerToken(entry.getKey());
                if (config.data().containsKey(entry.getKey())) {
                    out.errorAtKey(fileAt, "config key '" + entry.getKey() + "' is both in data and in files", "each key once");
                }
                entry.getValue().problem().ifPresent(problem -> out.error(fileAt, problem,
                        "a UTF-8 text file in the descriptor's folder or below it, at most 1 MiB"));
                total += entry.getValue().size();
            }
            if (total > ConfigRules.MAX_CONFIG_BYTES) {
                out.error(at, "config files add up to " + total + " bytes", "at most " + ConfigRules.MAX_CONFIG_BYTES + " bytes (a ConfigMap holds at most 1 MiB)");
            }
        });
    }
}
