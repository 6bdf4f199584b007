package dev.castle.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.castle.model.Canary;
import dev.castle.model.Infrastructure;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * Services named for clients that expect fixed host names ({@code serviceName}, or
 * {@code network.serviceNames: exact}) stay unique in the namespace, beside the Services castle adds
 * (headless, canary, Flagger's primary), with the release named after the system; a name fits
 * where it applies.
 */
final class ServiceNameRules {
    static final List<Rule.OfSystem> SYSTEM = List.of(ServiceNameRules::serviceNamesAreUnique, ServiceNameRules::serviceNameApplies);

    private ServiceNameRules() {
    }

    /** A Service of the release: its name, and the entry (and key) that makes it. */
    private record Owner(String what, String pointer, boolean written) {
    }

    static void serviceNamesAreUnique(SystemModel system, Findings out) {
        String release = system.metadata().name();
        Map<String, Owner> names = new LinkedHashMap<>();
        List<String[]> clashes = new ArrayList<>();
        for (Service s : system.services()) {
            String fullname = release + "-" + s.name();
            boolean written = s.declared().has("serviceName");
            String at = written ? s.declared().at("serviceName") : s.declared().pointer();
            if (s.hasService()) {
                claim(names, clashes, s.network().service().name().replace("{release}", release),
                        new Owner("the Service of '" + s.name() + "'", at, written));
            }
            if (s.workload() == Service.WorkloadKind.StatefulSet) {
                claim(names, clashes, fullname + NameRules.HEADLESS_SUFFIX, new Owner("the headless Service of '" + s.name() + "'", s.declared().pointer(), false));
            }
            for (dev.castle.model.ExtraService extra : s.network().extraServices()) {
                claim(names, clashes, ExtraServiceRules.serviceName(s, extra, release), new Owner("the extra Service '" + extra.name() + "' of '"
                        + s.name() + "'", s.declared().at("extraServices/" + extra.name()), true));
            }
            s.versions().filter(v -> v.routing() == dev.castle.model.Versions.Routing.GATEWAY_API && s.hasService()).ifPresent(v -> v.versions()
                    .forEach(version -> claim(names, clashes, fullname + "-" + version.name(), new Owner("the Service of version '" + version.name()
                            + "' of '" + s.name() + "'", s.declared().at("versions/" + version.name()), true))));
            if (s.canary().isPresent() && s.hasService()) {
                claim(names, clashes, fullname + "-canary", new Owner("the canary Service of '" + s.name() + "'", s.declared().pointer(), false));
                if (s.canary().get().isFlagger()) {
                    claim(names, clashes, fullname + "-primary", new Owner("the primary Service Flagger makes for '" + s.name() + "'",
                            s.declared().pointer(), false));
                }
            }
        }
        for (Infrastructure c : system.infrastructure()) {
            if (c.mode() != Infrastructure.Mode.embedded) {
                continue;
            }
            boolean written = c.declared().has("serviceName");
            String at = written ? c.declared().at("serviceName") : c.declared().pointer();
            claim(names, clashes, c.serviceName().replace("{release}", release), new Owner("the Service of '" + c.name() + "'", at, written));
            claim(names, clashes, release + "-" + c.name() + NameRules.HEADLESS_SUFFIX,
                    new Owner("the headless Service of '" + c.name() + "'", c.declared().pointer(), false));
        }
        for (String[] clash : clashes) {
            out.error(clash[0], "the Service name '" + clash[1] + "' is taken twice: by " + clash[2] + " and by " + clash[3]
                    + " (with the release named " + release + ")", "a name no other Service of the release has");
        }
    }

    private static void claim(Map<String, Owner> names, List<String[]> clashes, String name, Owner owner) {
        Owner first = names.putIfAbsent(name, owner);
        if (first != null) {
            // reported where a name was chosen, if one was
            String at = owner.written() || !first.written() ? owner.pointer() : first.pointer();
            clashes.add(new String[] {at, name, first.what(), owner.what()});
        }
    }

    /**
     * serviceName names a Service castle writes: not for an external component (its host is its
     * name), nor one run by an operator or claimed, not with a Flagger canary (Flagger names the Services after the workload).
     */
    static void serviceNameApplies(SystemModel system, Findings out) {
        for (Infrastructure c : system.infrastructure()) {
            if (c.declared().has("serviceName") && c.mode() == Infrastructure.Mode.external) {
                out.error(c.declared().at("serviceName"), "serviceName does not apply to an external component", "host: its address");
            }
            if (c.declared().has("serviceName") && c.mode().managed()) {
                out.error(c.declared().at("serviceName"), "serviceName does not apply to a component " + (c.mode() == Infrastructure.Mode.operator
                        ? "run by an operator: the operator names its Services" : "claimed: its host is in the connection Secret"),
                        "leave serviceName out; an environment switching to mode " + c.mode() + " leaves the base's serviceName behind");
            }
        }
        for (Service s : system.services()) {
            boolean named = !s.network().service().name().startsWith("{release}-");
            if (named && s.canary().filter(Canary::isFlagger).isPresent()) {
                out.error(s.declared().at(s.declared().has("serviceName") ? "serviceName" : "canary/strategy"),
                        "Flagger names the Services after the workload (<release>-" + s.name() + "), not '" + s.network().service().name() + "'",
                        "another canary strategy, or the Service's default name");
            }
        }
    }
}
