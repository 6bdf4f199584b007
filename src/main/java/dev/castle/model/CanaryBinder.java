package dev.castle.model;

import java.util.List;
import java.util.Optional;

import dev.castle.load.Node;

/**
 * Binds {@code services.<name>.canary}: Gateway API weights by default, 10% of the requests to one
 * canary pod; Argo Rollouts steps 10, 25, 50 and Flagger's analysis every minute, 5 failures to roll
 * back, promotion at 50% in steps of 10; routers default to the Gateway API; a header defaults to the
 * value {@code always}.
 */
final class CanaryBinder {
    static final Canary.Strategy DEFAULT_STRATEGY = Canary.Strategy.GATEWAY_API;
    static final Canary.Router DEFAULT_ROUTER = Canary.Router.GATEWAY_API;
    static final List<Integer> DEFAULT_STEPS = List.of(10, 25, 50);

    private CanaryBinder() {
    }

    static Optional<Canary> bind(Fields s, Service.Image stable) {
        if (!s.has("canary")) {
            return Optional.empty();
        }
        Fields c = s.object("canary");
        Fields analysis = c.object("analysis");
        List<Integer> steps = c.has("steps")
                ? c.items("steps").stream().filter(Node.ScalarNode.class::isInstance)
                        .map(i -> Fields.intOrString((Node.ScalarNode) i)).filter(Integer.class::isInstance).map(Integer.class::cast).toList()
                : DEFAULT_STEPS;
        Optional<Canary.Header> header = c.object("header").text("name")
                .map(name -> new Canary.Header(name, c.object("header").text("value", "always")));
        return Optional.of(new Canary(c.enumValue("strategy", Canary.Strategy.class, DEFAULT_STRATEGY), image(c, stable),
                c.stringMap("env"), c.object("config").stringMap("data"), c.integer("weight", 10), c.integer("replicas", 1), header,
                c.text("cookie"), c.enumValue("router", Canary.Router.class, DEFAULT_ROUTER), steps,
                new Canary.Analysis(analysis.text("interval", "1m"), analysis.integer("threshold", 5),
                        analysis.integer("maxWeight", 50), analysis.integer("stepWeight", 10))));
    }

    /** A full image, or the stable image with another tag. */
    static Service.Image image(Fields parent, Service.Image stable) {
        Optional<Node> node = parent.node("image");
        if (node.isEmpty()) {
            return stable;
        }
        if (node.get() instanceof Node.MapNode map && map.entries().size() == 1 && map.entries().containsKey("tag")) {
            return new Service.Image(stable.registry(), stable.repository(), new Fields(map).text("tag", stable.tag()), "",
                    stable.pullPolicy());
        }
        return ServiceBinder.image(parent);
    }
}
