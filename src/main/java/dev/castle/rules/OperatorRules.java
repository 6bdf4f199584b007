package dev.castle.rules;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import dev.castle.model.Declared;
import dev.castle.model.Infrastructure;
import dev.castle.model.Infrastructure.Mode;
import dev.castle.model.Infrastructure.Type;
import dev.castle.model.OperatorWiring;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * Components run by an operator or claimed from Crossplane: an operator castle knows runs the type,
 * the settings fit the type, the names the operator derives fit Kubernetes' limits, the managed
 * subchart's name is free, and Kafka topics are declared on Kafka components only.
 */
final class OperatorRules {
    static final List<Rule.OfInfrastructure> INFRASTRUCTURE = List.of(OperatorRules::anOperatorRunsTheType,
            OperatorRules::settingsFitTheType, OperatorRules::operatorsKeepTheirData, OperatorRules::claimHasItsKind,
            OperatorRules::derivedNamesFit, OperatorRules::topicIdsDiffer);
    static final List<Rule.OfService> SERVICE = List.of(OperatorRules::topicsOnKafkaOnly);
    static final List<Rule.OfSystem> SYSTEM = List.of(OperatorRules::managedChartNamesAreFree);

    private OperatorRules() {
    }

    static void anOperatorRunsTheType(Infrastructure c, SystemModel system, Findings out) {
        if (c.mode() == Mode.operator && !OperatorWiring.TYPES.contains(c.type())) {
            out.error(c.declared().at("mode"), "no operator castle knows runs " + c.type(),
                    "mode operator for postgresql (CloudNativePG), kafka (Strimzi), rabbitmq (RabbitMQ Cluster Operator) or mongodb "
                            + "(MongoDB Community Operator); for " + c.type() + ": mode claim (Crossplane) or external");
        }
    }

    static void settingsFitTheType(Infrastructure c, SystemModel system, Findings out) {
        Map<String, Type> only = Map.of("operator/pooler", Type.postgresql, "operator/backup", Type.postgresql, "operator/topics", Type.kafka);
        only.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            if (c.declared().has(e.getKey()) && c.type() != e.getValue()) {
                out.error(c.declared().at(e.getKey()), e.getKey().substring("operator/".length()) + " does not apply to " + c.type(),
                        e.getKey().substring("operator/".length()) + " is for " + e.getValue());
            }
        });
    }

    static void operatorsKeepTheirData(Infrastructure c, SystemModel system, Findings out) {
        if (c.mode() == Mode.operator && c.storage().ephemeral()) {
            out.error(c.declared().at("storage/ephemeral"), "an operator runs " + c.name() + " on volume claims",
                    "storage: {size, storageClass} (ephemeral: true is for embedded components)");
        }
    }

    static void claimHasItsKind(Infrastructure c, SystemModel system, Findings out) {
        if (c.mode() == Mode.claim && c.claim().isEmpty()) {
            out.error(c.declared().pointer(), "mode claim needs the claim", "claim: {apiVersion, kind, parameters}");
        }
    }

    static void derivedNamesFit(Infrastructure c, SystemModel system, Findings out) {
        if (c.mode() != Mode.operator || !OperatorWiring.TYPES.contains(c.type())) {
            return;
        }
        String name = NameRules.fullname(system, c.name());
        int suffix = OperatorWiring.longestSuffix(c);
        if (name.length() + suffix > NameRules.MAX_NAME) {
            out.errorAtKey(c.declared().pointer(), "the operator names resources '" + name + "' plus up to " + suffix
                    + " characters (release name + '-' + component name + its suffixes), over Kubernetes' " + NameRules.MAX_NAME,
                    "at most " + (NameRules.MAX_NAME - suffix) + " characters for '" + name + "'; shorten the component name");
        }
    }

    static void topicIdsDiffer(Infrastructure c, SystemModel system, Findings out) {
        if (c.type() != Type.kafka) {
            return;
        }
        Map<String, String> byId = new HashMap<>();
        for (String topic : topics(c, system)) {
            String id = topic.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
            String previous = byId.putIfAbsent(id, topic);
            if (id.isEmpty() || previous != null) {
                out.error(c.declared().pointer(), "the topics '" + (previous == null ? topic : previous + "' and '" + topic)
                        + "' cannot be told apart as KafkaTopic resource names (" + (id.isEmpty() ? "none" : "'" + id + "'") + ")",
                        "topic names that differ in more than case and punctuation");
            }
        }
    }

    /** Every topic of a Kafka component: its settings and what its callers declare, sorted. */
    private static List<String> topics(Infrastructure c, SystemModel system) {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(c.operator().topics().keySet());
        for (Service s : system.callersOf(c.name())) {
            s.dependsOn().stream().filter(d -> d.name().equals(c.name())).forEach(d -> all.addAll(d.topics()));
        }
        return List.copyOf(all);
    }

    static void topicsOnKafkaOnly(Service s, SystemModel system, Findings out) {
        for (Declared.DependencyRef ref : s.declared().dependsOn()) {
            if (ref.topics().isEmpty()) {
                continue;
            }
            boolean kafka = system.infrastructure(ref.name()).map(i -> i.type() == Type.kafka).orElse(false);
            if (!kafka) {
                String kafkas = system.infrastructure().stream().filter(i -> i.type() == Type.kafka).map(Infrastructure::name)
                        .collect(Collectors.joining(", "));
                out.error(ref.pointer() + "/topics", "topics on '" + ref.name() + "', which is not a Kafka component",
                        kafkas.isEmpty() ? "topics on a dependency on a kafka component (the system has none)"
                                : "topics on a dependency on a kafka component: " + kafkas);
            }
        }
    }

    static void managedChartNamesAreFree(SystemModel system, Findings out) {
        for (Infrastructure c : system.infrastructure()) {
            if (!c.mode().managed()) {
                continue;
            }
            String chart = Infrastructure.managedChart(c.name(), c.mode());
            if (system.service(chart).isPresent() || system.infrastructure(chart).isPresent()) {
                out.error(c.declared().at("mode"), "the " + c.mode() + " of '" + c.name() + "' is the subchart '" + chart
                        + "', which is also the name of a service or component", "another name for one of them");
            }
        }
    }
}
