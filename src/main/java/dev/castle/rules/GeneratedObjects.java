package dev.castle.rules;

import java.util.ArrayList;
import java.util.List;

import dev.castle.model.Canary;
import dev.castle.model.Infrastructure;
import dev.castle.model.Operations;
import dev.castle.model.Secrets;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * The objects a release of the system holds, by kind and name, as the castle-common library names
 * them (templates/library/templates/*.tpl) with the release named after the system: each
 * service's and component's {@code <fullname>} ({@code <release>-<name>}, cut to 63 characters),
 * the names it derives ({@code <fullname>-headless}, {@code -canary}, {@code -primary}, {@code -hook},
 * {@code -<hook>}, {@code -<volume>}, {@code -tls}, {@code -test}, {@code -credentials} (the Job that makes an embedded
 * component's passwords, its account, role and policy), {@code -password}, {@code -server} (an embedded server's config files), each cut as the library's
 * {@code suffixedName} cuts it), ServiceAccounts by their names, and the parent chart's
 * NetworkPolicies ({@code <release>-default-deny}, {@code <release>-<component>}), and the Services
 * an operator makes ({@code -rw}, {@code -kafka-bootstrap}...). The canary track
 * counts as present: the canary overlays switch it on.
 */
final class GeneratedObjects {
    /** One object: its kind, its name, the entry that makes it, and what it is, for messages. */
    record Generated(String kind, String name, String owner, String what) {
        /** A Service castle's own templates name (ServiceNameRules checks those among themselves); not an operator's or a chart's. */
        boolean castlesService() {
            return kind.equals("Service") && !what.contains("its operator makes") && !what.contains("of the chart of component");
        }
    }

    private final SystemModel system;
    private final List<Generated> objects = new ArrayList<>();

    private GeneratedObjects(SystemModel system) {
        this.system = system;
    }

    static List<Generated> of(SystemModel system) {
        GeneratedObjects all = new GeneratedObjects(system);
        system.services().forEach(all::service);
        system.infrastructure().forEach(all::component);
        String release = system.metadata().name();
        system.serviceAccounts().keySet().forEach(name -> all.add("ServiceAccount", fullname(release, name), "/serviceAccounts/" + name,
                "the shared ServiceAccount '" + name + "'"));
        system.sharedConfig().keySet().forEach(name -> all.add("ConfigMap", fullname(release, name), "/config/" + name,
                "the shared ConfigMap '" + name + "'"));
        all.add("NetworkPolicy", fullname(release, "default-deny"), "/metadata/name", "the default-deny NetworkPolicy of the system");
        if (system.network().policies()) {
            system.services().forEach(s -> all.add("NetworkPolicy", fullname(release, s.name()), s.declared().pointer(),
                    "the NetworkPolicy of service '" + s.name() + "'"));
            system.infrastructure().stream().filter(c -> c.mode() == Infrastructure.Mode.embedded).forEach(c -> all.add("NetworkPolicy",
                    fullname(release, c.name()), c.declared().pointer(), "the NetworkPolicy of component '" + c.name() + "'"));
        }
        return List.copyOf(all.objects);
    }

    /** {@code <release>-<name>}, cut to 63 characters without a trailing '-', as castle-common.fullname. */
    static String fullname(String release, String name) {
        return trimDash(trunc(release + "-" + name, 63));
    }

    /** {@code <fullname>-<suffix>}, the full name cut to leave room for the suffix, as castle-common.suffixedName. */
    static String suffixed(String fullname, String suffix) {
        return trimDash(trunc(fullname, 62 - suffix.length())) + "-" + suffix;
    }

    /** Sprig's trunc: the first n characters, or with a negative n the last -n. */
    static String trunc(String text, int n) {
        if (n < 0 && text.length() + n > 0) {
            return text.substring(text.length() + n);
        }
        return n >= 0 && text.length() > n ? text.substring(0, n) : text;
    }

    private static String trimDash(String text) {
        String trimmed = text;
        while (trimmed.endsWith("-")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }

    private void add(String kind, String name, String owner, String what) {
        objects.add(new Generated(kind, name, owner, what));
    }

    private void service(Service s) {
        String f = fullname(system.metadata().name(), s.name());
        String at = s.declared().pointer();
        String of = " of service '" + s.name() + "'";
        boolean longRunning = !s.workload().isBatch();
        Canary canary = s.canary().orElse(null);
        String workload = canary != null && canary.isArgo() ? "Rollout" : s.workload().name();
        add(workload, f, at, "the " + workload + of);
        if (longRunning && s.hasService() && (canary == null || !canary.isFlagger())) {
            add("Service", s.network().service().name().replace("{release}", system.metadata().name()), at, "the Service" + of);
        }
        if (s.workload() == Service.WorkloadKind.StatefulSet) {
            add("Service", suffixed(f, "headless"), at, "the headless Service" + of);
        }
        for (dev.castle.model.ExtraService extra : s.network().extraServices()) {
            add("Service", trimDash(trunc(ExtraServiceRules.serviceName(s, extra, system.metadata().name()), 63)),
                    s.declared().at("extraServices/" + extra.name()), "the extra Service '" + extra.name() + "'" + of);
        }
        s.versions().ifPresent(versions -> versions.versions().forEach(version -> {
            String name = suffixed(f, version.name());
            String versionAt = s.declared().at("versions/" + version.name());
            add("Deployment", name, versionAt, "the Deployment of version '" + version.name() + "'" + of);
            if (versions.routing() == dev.castle.model.Versions.Routing.GATEWAY_API && s.hasService()) {
                add("Service", name, versionAt, "the Service of version '" + version.name() + "'" + of);
            }
        }));
        s.versions().filter(v -> v.routing() == dev.castle.model.Versions.Routing.GATEWAY_API && s.hasService()).ifPresent(v ->
                add(s.firstExposedPort().map(Service.Port::isGrpc).orElse(false) ? "GRPCRoute" : "HTTPRoute", suffixed(f, "versions"),
                        s.declared().at("versions"), "the route between the versions" + of));
        boolean routed = s.operations().expose().filter(e -> e.via() == dev.castle.model.Operations.Via.gateway).isPresent() && longRunning && s.hasService();
        s.operations().expose().filter(e -> routed).ifPresent(e ->
                add(e.port().isGrpc() ? "GRPCRoute" : "HTTPRoute", f, s.declared().at("expose"), "the route from the Gateway" + of));
        // without a route of its own, a canary split by Gateway API routes has a mesh route <fullname> (castle-common.canaryMeshRoute)
        if (!routed && canary != null && s.hasService() && (canary.strategy() == Canary.Strategy.GATEWAY_API
                || canary.isArgo() && canary.router() == Canary.Router.GATEWAY_API)) {
            add("HTTPRoute", f, s.declared().at("canary"), "the mesh route of the canary" + of);
        }
        s.configuration().config().ifPresent(config -> add("ConfigMap", f, at, "the ConfigMap" + of));
        if (s.pod().serviceAccount().create()) {
            add("ServiceAccount", s.pod().serviceAccount().name().orElse(f), s.declared().at(s.declared().has("serviceAccount/name")
                    ? "serviceAccount/name" : ""), "the ServiceAccount" + of);
        }
        for (Service.Volume volume : s.volumes()) {
            if (volume.source() instanceof Service.Persistent && s.workload() != Service.WorkloadKind.StatefulSet) {
                add("PersistentVolumeClaim", suffixed(f, volume.name()), s.declared().at("volumes/" + volume.name()),
                        "the PersistentVolumeClaim of volume '" + volume.name() + "'" + of);
            }
        }
        for (Operations.Hook hook : s.operations().hooks()) {
            add("Job", suffixed(f, hook.name()), s.declared().at("hooks/" + hook.name()), "the Job of hook '" + hook.name() + "'" + of);
        }
        if (!s.operations().hooks().isEmpty() && s.configuration().config().isPresent()) {
            add("ConfigMap", suffixed(f, "hook"), s.declared().at("hooks"), "the hooks' copy of the ConfigMap" + of);
        }
        s.operations().expose().flatMap(Operations.Expose::tls).filter(tls -> tls.secretName().isEmpty() && tls.issuer().isPresent())
                .ifPresent(tls -> add("Secret", suffixed(f, "tls"), s.declared().at("expose/tls"), "the TLS Secret" + of));
        if (longRunning && s.ports().stream().anyMatch(p -> p.exposed() && p.protocol() == Service.Protocol.TCP) && s.hasService()) {
            add("Pod", suffixed(f, "test"), at, "the helm test Pod" + of);
        }
        if (canary != null) {
            canary(s, canary, f, s.declared().at("canary"));
        }
    }

    private void canary(Service s, Canary canary, String f, String at) {
        String of = " of the canary of service '" + s.name() + "'";
        String name = suffixed(f, "canary");
        if (!canary.configData().isEmpty() && s.configuration().config().isPresent()) {
            add("ConfigMap", name, at, "the ConfigMap" + of);
        }
        if (canary.castleManagesTracks()) {
            String workload = s.workload() == Service.WorkloadKind.StatefulSet ? trimDash(trunc(f, 45)) + "-canary" : name;
            add(s.workload().name(), workload, at, "the " + s.workload() + of);
            if (!canary.isIstio() && s.hasService()) {
                add("Service", name, at, "the Service" + of);
            }
            if (canary.strategy() == Canary.Strategy.INGRESS_NGINX) {
                add("Ingress", name, at, "the Ingress" + of);
            }
        } else if (canary.isArgo()) {
            add("Service", name, at, "the Service" + of);
        } else {
            String by = " (made by Flagger)";
            add("Deployment", suffixed(f, "primary"), at, "the primary Deployment of service '" + s.name() + "'" + by);
            add("Service", f, at, "the Service of service '" + s.name() + "'" + by);
            add("Service", suffixed(f, "primary"), at, "the primary Service of service '" + s.name() + "'" + by);
            add("Service", name, at, "the canary Service of service '" + s.name() + "'" + by);
        }
    }

    private void component(Infrastructure c) {
        String f = fullname(system.metadata().name(), c.name());
        String at = c.declared().pointer();
        String of = " of component '" + c.name() + "'";
        switch (c.mode()) {
            case embedded -> {
                add("StatefulSet", f, at, "the StatefulSet" + of);
                add("Service", c.serviceName().replace("{release}", system.metadata().name()), at, "the Service" + of);
                add("Service", suffixed(f, "headless"), at, "the headless Service" + of);
                if (c.type().hasCredentials()) {
                    add("Secret", f, at, "the credentials Secret" + of);
                }
                if (c.type() == Infrastructure.Type.mongodb || c.type() == Infrastructure.Type.rabbitmq) {
                    add("ConfigMap", f, at, "the ConfigMap" + of);
                }
                add("ServiceAccount", f, at, "the ServiceAccount" + of);
                add("Pod", suffixed(f, "test"), at, "the helm test Pod" + of);
                if (c.type().hasCredentials()) {
                    credentials(f, at, of);
                }
                if (!c.server().configFiles().isEmpty()) {
                    add("ConfigMap", suffixed(f, "server"), at, "the ConfigMap of the server's config files" + of);
                }
            }
            case operator -> operatorServices(c, f, at, of);
            case chart -> c.chart().ifPresent(chart -> add("Service", chart.serviceName().replace("{release}", system.metadata().name()),
                    at, "the Service of the chart of component '" + c.name() + "'"));
            case external, claim -> {
            }
        }
    }

    /** What makes an embedded component's passwords: a Job with its account and policy, or a Password generator. */
    private void credentials(String f, String at, String of) {
        if (system.secrets().generator() == Secrets.Generator.externalSecrets) {
            add("Password", suffixed(f, "password"), at, "the Password generator" + of);
            return;
        }
        String name = suffixed(f, "credentials");
        for (String kind : List.of("Job", "ServiceAccount", "Role", "RoleBinding")) {
            add(kind, name, at, kind.equals("Job") ? "the credentials Job" + of : "the " + kind + " of the credentials Job" + of);
        }
        if (system.network().policies()) {
            add("NetworkPolicy", name, at, "the NetworkPolicy of the credentials Job" + of);
        }
    }

    /** The Services the operator of a component makes (clients connect to one of them); operators do not cut names. */
    private void operatorServices(Infrastructure c, String f, String at, String of) {
        List<String> suffixes = switch (c.type()) {
            case postgresql -> c.operator().pooler().isPresent() ? List.of("-rw", "-ro", "-r", "-pooler") : List.of("-rw", "-ro", "-r");
            case kafka -> List.of("-kafka-bootstrap", "-kafka-brokers");
            case rabbitmq -> List.of("", "-nodes");
            case mongodb -> List.of("-svc");
            default -> List.of();
        };
        suffixes.forEach(suffix -> add("Service", f + suffix, at, "the Service its operator makes" + of));
    }
}
