package dev.castle.rules;

import java.util.List;
import java.util.Map;

import dev.castle.model.Infrastructure;
import dev.castle.model.Infrastructure.Mode;
import dev.castle.model.SystemModel;

/**
 * Infrastructure components: fields that fit the mode, what each mode needs, users the images
 * allow, charts fetched over TLS.
 */
final class InfrastructureRules {
    /** Fields that apply only to some modes. */
    static final Map<String, List<Mode>> ONLY_FOR = Map.of(
            "host", List.of(Mode.external), "port", List.of(Mode.external), "tls", List.of(Mode.external),
            "cidr", List.of(Mode.external), "chart", List.of(Mode.chart), "secret", List.of(Mode.external, Mode.chart),
            "storage", List.of(Mode.embedded), "version", List.of(Mode.embedded), "image", List.of(Mode.embedded),
            "resources", List.of(Mode.embedded));

    static final List<Rule.OfInfrastructure> INFRASTRUCTURE = List.of(InfrastructureRules::fieldsFitMode,
            InfrastructureRules::externalHasHost, InfrastructureRules::chartModeHasChart, InfrastructureRules::applicationUserIsNotRoot,
            InfrastructureRules::chartRepositoryIsSecure);

    private InfrastructureRules() {
    }

    static void fieldsFitMode(Infrastructure c, SystemModel system, Findings out) {
        ONLY_FOR.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(only -> {
            if (c.declared().has(only.getKey()) && !only.getValue().contains(c.mode())) {
                out.error(c.declared().at(only.getKey()), only.getKey() + " does not apply to mode " + c.mode(),
                        only.getKey() + " is for mode " + String.join(" or ", only.getValue().stream().map(Mode::name).toList()));
            }
        });
    }

    static void externalHasHost(Infrastructure c, SystemModel system, Findings out) {
        if (c.mode() == Mode.external && c.externalHost().isEmpty()) {
            out.error(c.declared().pointer(), "an external component needs its host", "host: db.example.com (and port, secret)");
        }
    }

    static void chartModeHasChart(Infrastructure c, SystemModel system, Findings out) {
        if (c.mode() == Mode.chart && !c.declared().has("chart")) {
            out.error(c.declared().pointer(), "mode chart needs the chart", "chart: {repository, name, version}");
        }
    }

    static void applicationUserIsNotRoot(Infrastructure c, SystemModel system, Findings out) {
        boolean rootAdmin = c.type() == Infrastructure.Type.mysql || c.type() == Infrastructure.Type.mongodb;
        if (c.mode() == Mode.embedded && rootAdmin && c.username().equals("root")) {
            out.error(c.declared().at("username"), "the application user cannot be root",
                    "another user name; castle keeps the administrator account to itself");
        }
    }

    /** A chart fetched over plain HTTP can be swapped on the way; Helm verifies no signature by default. */
    static void chartRepositoryIsSecure(Infrastructure c, SystemModel system, Findings out) {
        c.chart().map(Infrastructure.UpstreamChart::repository).filter(r -> r.toLowerCase(java.util.Locale.ROOT).startsWith("http://"))
                .ifPresent(r -> out.error(c.declared().at("chart/repository"), "the chart repository " + r + " is plain HTTP: the chart"
                        + " can be replaced on its way", "an https:// or oci:// repository"));
    }
}
