package dev.castle.model;

import java.util.List;
import java.util.Optional;

import dev.castle.load.Node;

/** Binds {@code services.<name>.canary}. */
final class CanaryBinder {
    private CanaryBinder() {
    }

    static Optional<Canary> bind(Fields s, Service.Image stable) {
        if (!s.has("canary")) {
            return Optional.empty();
        }
        Fields c = s.object("canary");
        Fields analysis = c.object("analysis");
        List<Integer> steps = c.node("steps").filter(Node.ListNode.class::isInstance)
                .map(n -> ((Node.ListNode) n).items().stream()
                        .map(i -> dev.castle.validate.Scalars.integral((Node.ScalarNode) i).intValueExact()).toList())
                .orElse(List.of(10, 25, 50));
        Optional<Canary.Header> header = c.object("header").text("name")
                .map(name -> new Canary.Header(name, c.object("header").text("value", "always")));
        return Optional.of(new Canary(c.text("strategy", "gateway-api"), image(c, stable), c.stringMap("env"),
                c.object("config").stringMap("data"), c.integer("weight", 10), c.integer("replicas", 1), header,
                c.text("cookie"), c.text("router", "gateway-api"), steps,
                new Canary.Analysis(analysis.text("interval", "1m"), analysis.integer("threshold", 5),
                        analysis.integer("maxWeight", 50), analysis.integer("stepWeight", 10))));
    }

    /** A full image, or the stable image with another tag. */
    static Service.Image image(Fields parent, Service.Image stable) {
        if (!parent.has("image")) {
            return stable;
        }
        Node node = parent.node("image").orElseThrow();
        if (node instanceof Node.MapNode map && map.entries().size() == 1 && map.entries().containsKey("tag")) {
            return new Service.Image(stable.registry(), stable.repository(), new Fields(node).text("tag", stable.tag()), "",
                    stable.pullPolicy());
        }
        return ModelBinder.image(parent);
    }
}
