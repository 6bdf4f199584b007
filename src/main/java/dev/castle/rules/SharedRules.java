package dev.castle.rules;

import java.util.List;

import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * What several services share: a ServiceAccount of {@code serviceAccounts} that exists, is used,
 * and whose name {@code <release>-<name>} no service's own ServiceAccount has.
 */
final class SharedRules {
    static final List<Rule.OfService> SERVICE = List.of(SharedRules::sharedAccountExists);
    static final List<Rule.OfSystem> SYSTEM = List.of(SharedRules::sharedAccountsAreUsedAndFree);

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
}
