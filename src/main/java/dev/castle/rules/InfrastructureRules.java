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
    static final Map<String, List<Mode>> ONLY_FOR = Map.ofEntries(
            Map.entry("host", List.of(Mode.external)), Map.entry("port", List.of(Mode.external, Mode.claim)),
            Map.entry("tls", List.of(Mode.external, Mode.claim)), Map.entry("cidr", List.of(Mode.external, Mode.claim)),
            Map.entry("chart", List.of(Mode.chart)), Map.entry("secret", List.of(Mode.external, Mode.chart)),
            Map.entry("storage", List.of(Mode.embedded, Mode.operator)), Map.entry("version", List.of(Mode.embedded, Mode.operator)),
            Map.entry("image", List.of(Mode.embedded)), Map.entry("resources", List.of(Mode.embedded, Mode.operator)),
            Map.entry("operator", List.of(Mode.operator)), Map.entry("claim", List.of(Mode.claim)),
            Map.entry("args", List.of(Mode.embedded)), Map.entry("env", List.of(Mode.embedded)), Map.entry("config", List.of(Mode.embedded)),
            Map.entry("metrics", List.of(Mode.embedded)));

    static final List<Rule.OfInfrastructure> INFRASTRUCTURE = List.of(InfrastructureRules::fieldsFitMode,
            InfrastructureRules::externalHasHost, InfrastructureRules::chartModeHasChart, InfrastructureRules::applicationUserIsNotRoot,
            InfrastructureRules::chartRepositoryIsSecure,
            InfrastructureRules::versionIsSupported);

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

    /**
     * The embedded chart calls the image's own commands and relies on its paths, users and
     * variables: a tag outside the versions they were checked against is refused; a tag that names
     * no version (lts, a code name) is a warning, since castle cannot tell.
     */
    static void versionIsSupported(Infrastructure c, SystemModel system, Findings out) {
        String tag = c.versionTag();
        if (c.mode() != Mode.embedded || tag.isEmpty() || tag.equals("latest")) { // latest: ImageRules refuses it
            return;
        }
        String at = c.declared().has("version") ? c.declared().at("version")
                : c.declared().has("image/tag") ? c.declared().at("image/tag") : c.declared().at(c.declared().has("image") ? "image" : "");
        Infrastructure.Versions versions = c.supportedVersions();
        Infrastructure.Version version = c.version().orElse(null);
        if (version == null) {
            out.warning(at, "castle cannot tell which " + c.type() + " version the tag '" + tag + "' is",
                    "a tag that starts with the version, from " + versions.range() + (c.declared().has("image")
                            ? "; or say the server's version beside the image: version: \"8.0\"" : ""));
            return;
        }
        if (version.major() > versions.toMajor()) {
            out.error(at, c.type() + " " + tag + " is newer than the versions castle's embedded " + c.type()
                    + " was written against (their commands, paths and variables)", versions.range());
        } else if (!versions.contains(version.major(), version.minor()) || Infrastructure.mysqlBeforeRootHost(c.type(), c.versionTag())) {
            out.error(at, c.type() + " " + tag + " is older than castle's embedded " + c.type() + " supports: " + versions.whyNotOlder(),
                    versions.range() + (c.type() == Infrastructure.Type.mysql ? " (5.6 from 5.6.35)" : ""));
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
