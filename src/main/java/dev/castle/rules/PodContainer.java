package dev.castle.rules;

import java.util.ArrayList;
import java.util.List;

import dev.castle.load.Node;
import dev.castle.model.Service;

/**
 * One container of a service's pod, with the pointer prefix of its fields in the descriptor: the
 * service's own ({@code ""}), a sidecar ({@code sidecars/<name>/}) or an init container
 * ({@code initContainers/<name>/}).
 */
record PodContainer(String prefix, String kind, Service.Resources resources, Service.Security security) {
    /** The service's own container first, then its sidecars and init containers as written. */
    static List<PodContainer> of(Service s) {
        List<PodContainer> containers = new ArrayList<>();
        containers.add(new PodContainer("", "container", s.container().resources(), s.container().security()));
        s.companions().sidecars().forEach(c -> containers.add(new PodContainer("sidecars/" + Node.escapePointerToken(c.name()) + "/",
                "sidecar", c.resources(), c.security())));
        s.companions().initContainers().forEach(c -> containers.add(new PodContainer("initContainers/" + Node.escapePointerToken(c.name()) + "/",
                "init container", c.resources(), c.security())));
        return containers;
    }

    /** A sidecar or init container, rather than the service's own container. */
    boolean companion() {
        return !prefix.isEmpty();
    }
}
