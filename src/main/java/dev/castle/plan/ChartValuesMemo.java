package dev.castle.plan;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.castle.model.Infrastructure;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * Each chart's values, built once per plan: the subcharts, the parent's schema definitions and every
 * environment's overrides all read them (they were built 2 + 2 x environments times per chart).
 * Keyed by the identity of the model and of the component, since an environment's model holds
 * components of its own; the values are only read once built.
 */
final class ChartValuesMemo {
    private final Map<SystemModel, Map<Object, ChartValues>> built = new IdentityHashMap<>();
    private final Map<SystemModel.Environment, Map<String, Object>> overrides = new IdentityHashMap<>();
    /** One instance of each distinct param schema of the plan (see {@link ChartValues#shareSchemas}). */
    private final Map<Object, Map<String, Object>> schemas = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Builds the values of every service of the system, and of the services each environment runs,
     * on every core at once (the contributors then find them built): each is a function of the model
     * alone, and at 1,000 services building them one after the other was a third of the planning.
     */
    void prepare(SystemModel system) {
        record Pending(SystemModel model, Service service) {
        }
        List<Pending> pending = new ArrayList<>();
        system.services().forEach(s -> pending.add(new Pending(system, s)));
        for (SystemModel.Environment environment : system.environments()) {
            for (Service service : system.services()) {
                if (environment.enabled(service.name())) {
                    environment.model().service(service.name()).ifPresent(s -> pending.add(new Pending(environment.model(), s)));
                }
            }
        }
        List<ChartValues> values = pending.parallelStream()
                .map(p -> ServiceValues.forService(p.model(), p.service()).shareSchemas(schemas)).toList();
        for (int i = 0; i < pending.size(); i++) {
            of(pending.get(i).model()).put(pending.get(i).service(), values.get(i));
        }
    }

    ChartValues parent(SystemModel system) {
        return memo(system, system, () -> ParentChartContributor.parentValues(system));
    }

    /** The parent's values of an environment's model, for the services and components that run in it. */
    ChartValues parent(SystemModel env, SystemModel.Environment environment) {
        return memo(env, environment, () -> ParentChartContributor.parentValues(env, environment::enabled));
    }

    /** An environment's overrides (values-ENV.yaml, also written in the GitOps tree). */
    Map<String, Object> overrides(SystemModel.Environment environment, Supplier<Map<String, Object>> build) {
        return overrides.computeIfAbsent(environment, e -> build.get());
    }

    ChartValues service(SystemModel system, Service service) {
        return memo(system, service, () -> ServiceValues.forService(system, service));
    }

    ChartValues infrastructure(SystemModel system, Infrastructure infra) {
        return memo(system, infra, () -> InfrastructureValues.forInfrastructure(system, infra));
    }

    private ChartValues memo(SystemModel system, Object component, Supplier<ChartValues> build) {
        Map<Object, ChartValues> ofSystem = of(system);
        ChartValues values = ofSystem.get(component);
        if (values == null) {
            values = build.get().shareSchemas(schemas);
            ofSystem.put(component, values);
        }
        return values;
    }

    /** The values built for the components of one model, by component. */
    private Map<Object, ChartValues> of(SystemModel system) {
        return built.computeIfAbsent(system, s -> new IdentityHashMap<>());
    }
}
