package dev.castle.rules;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.castle.load.Node;
import dev.castle.model.Declared;
import dev.castle.model.Infrastructure;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * Field formats Kubernetes and its controllers check and the schema's patterns do not: cron
 * schedules and time zones, CIDRs, percentages up to 100%, host names that are not IP addresses,
 * URL paths without spaces, HTTP header names.
 */
final class FormatRules {
    private static final Pattern PERCENT = Pattern.compile("([0-9]+)%");
    private static final List<String> PROBES = List.of("liveness", "readiness", "startup");

    static final List<Rule.OfService> SERVICE = List.of(FormatRules::scheduleIsCron, FormatRules::timeZoneIsKnown,
            FormatRules::sourceRangesAreCidrs, FormatRules::percentagesAtMost100, FormatRules::hostsAreNames,
            FormatRules::pathsAreUrlPaths, FormatRules::headerNamesAreTokens);
    static final List<Rule.OfInfrastructure> INFRASTRUCTURE = List.of(FormatRules::cidrIsNetwork, FormatRules::backupScheduleIsCron);

    private FormatRules() {
    }

    static void scheduleIsCron(Service s, SystemModel system, Findings out) {
        s.declared().text("schedule").ifPresent(schedule -> Cron.problem(schedule).ifPresent(problem ->
                out.error(s.declared().at("schedule"), "'" + schedule + "' is not a schedule Kubernetes reads: " + problem,
                        "five fields: minute (0-59), hour (0-23), day of month (1-31), month (1-12), day of week (0-6);"
                                + " each *, N, N-M, a list of them, with /STEP; or @hourly, @daily, @weekly, @monthly, @yearly")));
    }

    static void timeZoneIsKnown(Service s, SystemModel system, Findings out) {
        s.declared().text("timeZone").filter(zone -> !Formats.isTimeZone(zone)).ifPresent(zone ->
                out.error(s.declared().at("timeZone"), "'" + zone + "' is not a time zone of the tz database",
                        "a zone name such as Europe/Paris, America/New_York or UTC"));
    }

    static void sourceRangesAreCidrs(Service s, SystemModel system, Findings out) {
        List<String> ranges = s.network().service().loadBalancerSourceRanges();
        for (int i = 0; i < ranges.size(); i++) {
            if (!Formats.isCidr(ranges.get(i))) {
                out.error(s.declared().at("service/loadBalancerSourceRanges/" + i), "'" + ranges.get(i) + "' is not a network in CIDR notation",
                        "an IPv4 or IPv6 network such as 203.0.113.0/24");
            }
        }
    }

    static void cidrIsNetwork(Infrastructure c, SystemModel system, Findings out) {
        if (c.declared().has("cidr") && !Formats.isCidr(c.cidr())) {
            out.error(c.declared().at("cidr"), "'" + c.cidr() + "' is not a network in CIDR notation",
                    "an IPv4 or IPv6 network such as 10.20.0.0/16 (each number of an IPv4 address at most 255, the prefix at most 32)");
        }
    }

    /** CloudNativePG's webhook refuses a ScheduledBackup whose schedule it cannot parse (six fields, seconds first). */
    static void backupScheduleIsCron(Infrastructure c, SystemModel system, Findings out) {
        String at = "operator/backup/schedule";
        if (c.mode() == Infrastructure.Mode.operator && c.declared().has(at)) {
            c.operator().backup().map(Infrastructure.Backup::schedule).ifPresent(schedule -> Cron.problemWithSeconds(schedule).ifPresent(problem ->
                    out.error(c.declared().at(at), "'" + schedule + "' is not a schedule CloudNativePG reads: " + problem,
                            "six fields: second (0-59), minute, hour, day of month, month, day of week, such as 0 0 2 * * *")));
        }
    }

    static void percentagesAtMost100(Service s, SystemModel system, Findings out) {
        for (String key : List.of("disruptionBudget/minAvailable", "disruptionBudget/maxUnavailable", "rollout/maxUnavailable")) {
            s.declared().text(key).map(PERCENT::matcher).filter(Matcher::matches)
                    .filter(m -> m.group(1).length() > 3 || Integer.parseInt(m.group(1)) > 100).ifPresent(m ->
                            out.error(s.declared().at(key), m.group() + " is more than 100%", "a percentage from 0% to 100%, or a number of pods"));
        }
    }

    static void hostsAreNames(Service s, SystemModel system, Findings out) {
        s.operations().expose().ifPresent(e -> {
            for (int i = 0; i < e.hosts().size(); i++) {
                if (Formats.isIpAddress(e.hosts().get(i))) {
                    out.error(s.declared().at("expose/hosts/" + i), "'" + e.hosts().get(i) + "' is an IP address, not a host name",
                            "a DNS name such as shop.example.com (Ingresses and routes match host names only)");
                }
            }
        });
    }

    /** What Ingresses (Prefix and Exact) and Gateway API routes refuse in a path besides its characters. */
    private static final List<String> ROUTE_PATH_SEQUENCES = List.of("//", "/./", "/../", "%2f", "%2F");

    static void pathsAreUrlPaths(Service s, SystemModel system, Findings out) {
        s.operations().expose().ifPresent(e -> {
            for (int i = 0; i < e.paths().size(); i++) {
                String at = s.declared().has("expose/paths/" + i + "/path") ? "expose/paths/" + i + "/path" : "expose/paths/" + i;
                String path = e.paths().get(i).path();
                path(s.declared(), at, path, out);
                boolean bad = ROUTE_PATH_SEQUENCES.stream().anyMatch(path::contains) || path.endsWith("/..") || path.endsWith("/.");
                if (s.declared().has(at) && Formats.isUrlPath(path) && bad) {
                    out.error(s.declared().at(at), "'" + path + "' has //, /./, /../, an escaped '/' (%2F) or ends in /. or /..,"
                            + " which Ingresses and routes refuse", "a normalized path such as /api/v1");
                }
            }
        });
        s.operations().metrics().ifPresent(m -> path(s.declared(), "metrics/path", m.path(), out));
        for (String kind : PROBES) {
            path(s.declared(), "probes/" + kind + "/http", s.declared().text("probes/" + kind + "/http").orElse(null), out);
            path(s.declared(), "probes/" + kind + "/http/path", s.declared().text("probes/" + kind + "/http/path").orElse(null), out);
        }
        for (String hook : List.of("postStart", "preStop")) {
            path(s.declared(), "lifecycle/" + hook + "/http/path", s.declared().text("lifecycle/" + hook + "/http/path").orElse(null), out);
        }
    }

    private static void path(Declared declared, String at, String path, Findings out) {
        if (path != null && declared.has(at) && !Formats.isUrlPath(path)) {
            out.error(declared.at(at), "'" + path + "' is not a URL path (a space, a control character or another character"
                    + " URLs escape)", "a path such as /api/v1; write other characters percent-encoded (%20 for a space)");
        }
    }

    static void headerNamesAreTokens(Service s, SystemModel system, Findings out) {
        Service.Probes probes = s.container().probes();
        List<java.util.Optional<Service.Probe>> all = List.of(probes.liveness(), probes.readiness(), probes.startup());
        for (int i = 0; i < PROBES.size(); i++) {
            String kind = PROBES.get(i);
            all.get(i).map(Service.Probe::handler).filter(Service.HttpGet.class::isInstance).map(h -> ((Service.HttpGet) h).headers())
                    .map(Map::keySet).orElse(java.util.Set.of()).stream().filter(name -> !Formats.isHttpHeaderName(name)).forEach(name ->
                            out.errorAtKey(s.declared().at("probes/" + kind + "/http/headers/" + Node.escapePointerToken(name)),
                                    "'" + name + "' is not an HTTP header name", "letters, digits and !#$%&'*+-.^_`|~, no space"));
        }
    }
}
