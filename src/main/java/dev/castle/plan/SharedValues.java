package dev.castle.plan;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import dev.castle.model.SystemModel;

/** What several services share, as parent-chart values: the ServiceAccounts of {@code serviceAccounts}, the configuration of {@code config}. */
final class SharedValues {
    private SharedValues() {
    }

    /** The shared configuration as global values, which every subchart sees: its pods' checksums read them. */
    static void globals(ChartValues values, SystemModel system) {
        if (system.sharedConfig().isEmpty()) {
            return;
        }
        Map<String, Object> config = new TreeMap<>();
        system.sharedConfig().forEach((name, shared) -> config.put(name, new TreeMap<>(shared.contents())));
        values.param("global.sharedConfig", config, "Configuration several services read, by name: keys and their text; the parent chart makes"
                + " the ConfigMap <release>-<name>, and the pods of the services that read it roll when it changes", Schemas.mapOf(Schemas.stringMap()));
    }

    static void parameters(ChartValues values, SystemModel system) {
        if (system.serviceAccounts().isEmpty()) {
            return;
        }
        Map<String, Object> accounts = new TreeMap<>();
        system.serviceAccounts().forEach((name, account) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("create", true);
            entry.put("annotations", new TreeMap<>(account.annotations()));
            entry.put("automountServiceAccountToken", account.automountToken());
            accounts.put(name, entry);
        });
        values.section("Shared ServiceAccounts")
                .param("serviceAccounts", accounts, "ServiceAccounts <release>-<name> that services name in their serviceAccount.shared:"
                        + " {create, annotations, automountServiceAccountToken}", Schemas.mapOf(Schemas.strictObject(Schemas.of("create", Schemas.bool(),
                        "annotations", Schemas.stringMap(), "automountServiceAccountToken", Schemas.bool()), "create")));
    }
}
