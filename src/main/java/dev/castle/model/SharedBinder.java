package dev.castle.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.castle.load.ConfigFileReader;
import dev.castle.load.Node;

/**
 * Binds what several services share, deciding its defaults here: the ServiceAccounts of
 * {@code serviceAccounts}, the configuration of {@code config}, and each service's use of them.
 */
final class SharedBinder {
    private SharedBinder() {
    }

    static Map<String, SystemModel.SharedServiceAccount> accounts(Fields doc) {
        Map<String, SystemModel.SharedServiceAccount> accounts = new TreeMap<>();
        doc.entries("serviceAccounts").forEach((name, node) -> {
            Fields account = new Fields(node);
            accounts.put(name, new SystemModel.SharedServiceAccount(name, account.stringMap("annotations"), account.bool("automountToken", false)));
        });
        return accounts;
    }

    /** The shared configuration; files are read here, once, by the one reader. */
    static Map<String, SystemModel.SharedConfig> config(Fields doc, ConfigFileReader reader) {
        Map<String, SystemModel.SharedConfig> config = new TreeMap<>();
        doc.entries("config").forEach((name, node) -> {
            Fields c = new Fields(node);
            Map<String, Service.ConfigFile> read = new TreeMap<>();
            c.stringMap("files").forEach((key, path) -> {
                ConfigFileReader.TextFile file = reader.read(path);
                read.put(key, new Service.ConfigFile(path, file.text(), file.size(), file.problem()));
            });
            config.put(name, new SystemModel.SharedConfig(name, c.stringMap("data"), read));
        });
        return config;
    }

    /**
     * A service's {@code sharedConfig}: {@code envFrom} defaults to true when the shared
     * configuration has data, {@code mountPath} to {@code /etc/<name>} when it has files that
     * {@code mounts} does not place one by one.
     */
    static List<Service.SharedConfigUse> uses(Fields service, Map<String, SystemModel.SharedConfig> config) {
        List<Service.SharedConfigUse> uses = new ArrayList<>();
        new TreeMap<>(service.entries("sharedConfig")).forEach((name, node) -> {
            Fields u = node instanceof Node.MapNode ? new Fields(node) : Fields.empty();
            Optional<SystemModel.SharedConfig> shared = Optional.ofNullable(config.get(name));
            boolean data = shared.map(c -> !c.data().isEmpty()).orElse(false);
            boolean files = shared.map(c -> !c.files().isEmpty()).orElse(false);
            Map<String, String> mounts = u.stringMap("mounts");
            boolean unmounted = shared.map(c -> !mounts.keySet().containsAll(c.files().keySet())).orElse(false);
            uses.add(new Service.SharedConfigUse(name, u.bool("envFrom", data),
                    u.text("mountPath").or(() -> files && unmounted ? Optional.of("/etc/" + name) : Optional.empty()), mounts));
        });
        return List.copyOf(uses);
    }
}
