package dev.castle.rules;

import java.util.List;
import java.util.Map;

import dev.castle.model.Infrastructure;
import dev.castle.model.Infrastructure.Mode;
import dev.castle.model.SystemModel;

/** Infrastructure components: fields that fit the mode, what each mode needs, users the images allow. */
final class InfrastructureRules {
    /** Fields that apply only to some modes. */
    static final Map<String, List<Mode>> ONLY_FOR = Map.ofEntries(
            Map.entry("host", List.of(Mode.external)), Map.entry("port", List.of(Mode.external, Mode.claim)),
            Map.entry("tls", List.of(Mode.external, Mode.claim)), Map.entry("cidr", List.of(Mode.external, Mode.claim)),
            Map.entry("chart", List.of(Mode.chart)), Map.entry("secret", List.of(Mode.external, Mode.chart)),
            Map.entry("storage", List.of(Mode.embedded, Mode.operator)), Map.entry("version", List.of(Mode.embedded, Mode.operator)),
            Map.entry("image", List.of(Mode.embedded)), Map.entry("resources", List.of(Mode.embedded, Mode.operator)),
            Map.entry("operator", List.of(Mode.operator)), Map.entry("claim", List.of(Mode.claim)));

    static final List<Rule.OfInfrastructure> INFRASTRUCTURE = List.of(InfrastructureRules::fieldsFitMode,
            InfrastructureRules::externalHasHost, InfrastructureRules::chartModeHasChart, InfrastructureRules::applicationUserIsNotRoot,
            InfrastructureRules::versionIsSupported);
    /** The version at the start of an image tag: 17, 8.4, 7.4.1-alpine, 3.13-management. */
    private static final java.util.regex.Pattern VERSION = java.util.regex.Pattern.compile("^v?(\\d+)(?:\\.(\\d+))?(?:[.\\-_+].*)?$");

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
        String tag = c.image().tag();
        if (c.mode() != Mode.embedded || tag.isEmpty()) {
            return;
        }
        String at = c.declared().has("version") ? c.declared().at("version")
                : c.declared().has("image/tag") ? c.declared().at("image/tag") : c.declared().at(c.declared().has("image") ? "image" : "");
        Infrastructure.Versions versions = c.type().versions;
        java.util.regex.Matcher m = VERSION.matcher(tag);
        if (!m.matches()) {
            out.warning(at, "castle cannot tell which " + c.type() + " version the tag '" + tag + "' is",
                    "a tag that starts with the version, from " + versions.range());
            return;
        }
        int major = number(m.group(1));
        // a tag of the major alone is its latest minor
        int minor = m.group(2) == null ? Integer.MAX_VALUE : number(m.group(2));
        if (major > versions.toMajor()) {
            out.error(at, c.type() + " " + tag + " is newer than the versions castle's embedded " + c.type()
                    + " was written against (their commands, paths and variables)", versions.range());
        } else if (!versions.contains(major, minor)) {
            out.error(at, c.type() + " " + tag + " is older than castle's embedded " + c.type() + " supports: " + versions.whyNotOlder(),
                    versions.range());
        }
    }

    private static int number(String digits) {
        return digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits);
    }

    static void applicationUserIsNotRoot(Infrastructure c, SystemModel system, Findings out) {
        boolean rootAdmin = c.type() == Infrastructure.Type.mysql || c.type() == Infrastructure.Type.mongodb;
        if (c.mode() == Mode.embedded && rootAdmin && c.username().equals("root")) {
            out.error(c.declared().at("username"), "the application user cannot be root",
                    "another user name; castle keeps the administrator account to itself");
        }
    }
}
