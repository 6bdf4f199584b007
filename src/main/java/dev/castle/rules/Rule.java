package dev.castle.rules;

import dev.castle.model.Infrastructure;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/** The shapes of a rule: about one service, one component, or the whole system. */
public final class Rule {
    private Rule() {
    }

    @FunctionalInterface
    public interface OfService {
        void check(Service service, SystemModel system, Findings findings);
    }

    @FunctionalInterface
    public interface OfInfrastructure {
        void check(Infrastructure component, SystemModel system, Findings findings);
    }

    @FunctionalInterface
    public interface OfSystem {
        void check(SystemModel system, Findings findings);
    }
}
