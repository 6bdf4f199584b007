package dev.castle.rules;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.castle.load.Diagnostic;
import dev.castle.load.Node;
import dev.castle.load.SourceMap;
import dev.castle.model.Infrastructure;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * The check stage: runs every rule of the {@link #RULES rule book} on the bound model (and on each
 * environment's model), and locates what they find through the source maps. Findings about a field
 * the schema already found malformed are left out (the schema's message says it better), and so
 * are warnings about an entry the schema found a problem in (they follow from it, as a null
 * {@code ports} gives "without ports"); the others are reported beside the schema's problems, in
 * the same run. No rule is wrapped in a catch-all: a rule that fails is a bug and says so.
 */
public final class Checker {
    /** Every rule, by concern: the place to look for the rule behind any message. */
    static final List<Rule.OfService> SERVICE_RULES = concat(NameRules.SERVICE, ImageRules.SERVICE, PortRules.SERVICE,
            ProbeRules.SERVICE, LifecycleRules.SERVICE, BatchRules.SERVICE, ConfigRules.SERVICE, EnvRules.SERVICE, EnvReferenceRules.SERVICE,
            ResourceRules.SERVICE, VolumeRules.SERVICE, SecurityRules.SERVICE, DisruptionBudgetRules.SERVICE, RolloutRules.SERVICE,
            ExposureRules.SERVICE, EgressRules.SERVICE, ExtraServiceRules.SERVICE, RouteRules.SERVICE, SharedRules.SERVICE,
            VersionRules.SERVICE, AutoscalingRules.SERVICE, FormatRules.SERVICE, PlacementRules.SERVICE, LabelRules.SERVICE,
            ObservabilityRules.SERVICE, CanaryRules.SERVICE, GraphRules.SERVICE, OperatorRules.SERVICE, CompanionRules.SERVICE,
            SizeRules.SERVICE);
    static final List<Rule.OfInfrastructure> INFRASTRUCTURE_RULES = concat(NameRules.INFRASTRUCTURE, InfrastructureRules.INFRASTRUCTURE,
            ResourceRules.INFRASTRUCTURE, FormatRules.INFRASTRUCTURE, ImageRules.INFRASTRUCTURE, AuthRules.INFRASTRUCTURE,
            OperatorRules.INFRASTRUCTURE, ServerRules.INFRASTRUCTURE);
    static final List<Rule.OfSystem> SYSTEM_RULES = concat(NameRules.SYSTEM, CollisionRules.SYSTEM, PortRules.SYSTEM, ExposureRules.SYSTEM,
            ExtraServiceRules.SYSTEM, RouteRules.SYSTEM, SharedRules.SYSTEM, LabelRules.SYSTEM, GraphRules.SYSTEM, SecretRules.SYSTEM,
            GitOpsRules.SYSTEM, ServiceNameRules.SYSTEM, OperatorRules.SYSTEM);

    private static final Pattern PLACE = Pattern.compile("\\{place:([^}]*)}");

    private Checker() {
    }

    @SafeVarargs
    private static <T> List<T> concat(List<T>... lists) {
        List<T> all = new ArrayList<>();
        for (List<T> list : lists) {
            all.addAll(list);
        }
        return List.copyOf(all);
    }

    /** A token the checker replaces with "line L, column C" of the pointer (for messages that name other places). */
    static String placeOf(String pointer) {
        return "{place:" + pointer + "}";
    }

    /** What one rule run found about a system. */
    public static Findings run(SystemModel system) {
        Findings findings = new Findings();
        for (Service s : system.services()) {
            SERVICE_RULES.forEach(rule -> rule.check(s, system, findings));
        }
        for (Infrastructure c : system.infrastructure()) {
            INFRASTRUCTURE_RULES.forEach(rule -> rule.check(c, system, findings));
        }
        SYSTEM_RULES.forEach(rule -> rule.check(system, findings));
        return findings;
    }

    /**
     * The located findings of every rule on the system and its environments.
     *
     * @param root the descriptor tree the system was bound from
     * @param environments each environment's merged tree, by name
     * @param schemaFields the pointers of the fields the schema found malformed
     */
    public static List<Diagnostic> check(SystemModel system, Node root, Map<String, Node> environments, List<String> schemaFields) {
        SourceMap base = new SourceMap(root);
        List<Diagnostic> found = new ArrayList<>();
        Findings baseFindings = run(system);
        for (SystemModel.Environment environment : system.environments()) {
            EnvironmentRules.overridesFitBase(system, environment, baseFindings);
            EnvironmentRules.startupDependenciesStayEnabled(environment, baseFindings);
        }
        List<Diagnostic> located = locate(baseFindings, base, "");
        found.addAll(located);
        Set<String> reported = new HashSet<>();
        located.forEach(d -> reported.add(d.pointer() + "\n" + d.problem()));
        for (SystemModel.Environment environment : system.environments()) {
            String overrides = environment.overrides().pointer();
            boolean overridesBroken = found.stream().anyMatch(d -> within(d.pointer(), overrides));
            Node tree = environments.get(environment.name());
            if (overridesBroken || tree == null) {
                continue;
            }
            for (Diagnostic d : locate(run(environment.model()), new SourceMap(tree), "in environment " + environment.name() + ": ")) {
                String original = d.problem().substring(("in environment " + environment.name() + ": ").length());
                if (!reported.contains(d.pointer() + "\n" + original)) {
                    found.add(atOverride(d, environment.overrides(), base));
                }
            }
        }
        return found.stream().filter(d -> schemaFields.stream().noneMatch(field -> overlaps(d.pointer(), field)
                || d.severity() == Diagnostic.Severity.warning && within(field, d.pointer()))).toList();
    }

    /**
     * An environment's finding located in the base text (a limit written in the base, below the
     * request the environment sets): moved to the override of that entry that comes closest to the
     * field (its own key, or the environment's {@code all}), with the base place in the message.
     */
    private static Diagnostic atOverride(Diagnostic d, SystemModel.Overrides overrides, SourceMap base) {
        String[] tokens = d.pointer().split("/");
        if (within(d.pointer(), overrides.pointer()) || tokens.length < 3) {
            return d;
        }
        String entry = "/" + tokens[1] + "/" + tokens[2];
        String rest = d.pointer().substring(entry.length());
        List<String> candidates = new ArrayList<>();
        candidates.add(overrides.pointer() + entry + rest);
        if (tokens[1].equals("services")) {
            candidates.add(overrides.pointer() + "/all" + rest);
        }
        for (String candidate : candidates) {
            for (String at = candidate; at.startsWith(overrides.pointer() + "/"); at = at.substring(0, at.lastIndexOf('/'))) {
                boolean entryOrBelow = at.startsWith(overrides.pointer() + entry) || at.startsWith(overrides.pointer() + "/all");
                if (entryOrBelow && base.isWritten(at)) {
                    return new Diagnostic(d.severity(), base.position(at), at, d.problem() + " (with " + d.pointer() + " of the base, line "
                            + d.position().line() + ", column " + d.position().column() + ")", d.allowed(), d.suggestion());
                }
            }
        }
        return d;
    }

    private static List<Diagnostic> locate(Findings findings, SourceMap sources, String prefix) {
        List<Diagnostic> located = new ArrayList<>();
        for (Findings.Finding f : findings.all()) {
            SourceMap.Location at = sources.locate(f.pointer(), f.atKey());
            located.add(new Diagnostic(f.severity(), at.position(), at.pointer(), prefix + places(f.problem(), sources),
                    f.allowed(), f.suggestion()));
        }
        return located;
    }

    private static String places(String text, SourceMap sources) {
        Matcher m = PLACE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            var position = sources.position(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement("line " + position.line() + ", column " + position.column()));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static boolean within(String pointer, String ancestor) {
        return pointer.equals(ancestor) || pointer.startsWith(ancestor + "/");
    }

    /**
     * Whether a rule's finding at {@code pointer} concerns a field the schema found malformed: the
     * field itself, something inside it, or a part of the entry that contains it (below the entry).
     */
    static boolean overlaps(String pointer, String field) {
        if (within(pointer, field)) {
            return true;
        }
        return within(field, pointer) && pointer.chars().filter(c -> c == '/').count() >= 3;
    }
}
