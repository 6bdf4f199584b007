package dev.castle.plan;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import dev.castle.model.SystemModel;

/** What several services share, as parent-chart values: the ServiceAccounts of {@code serviceAccounts}. */
final class SharedValues {
    private SharedValues() {
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
