package dev.castle.plan;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import dev.castle.model.Service;
import dev.castle.model.Versions;

/** A service's versions as its values, read by {@code castle-common.versionDeployments} and {@code castle-common.versionRouting}. */
final class VersionValues {
    private VersionValues() {
    }

    static void parameters(ChartValues v, Service s) {
        if (s.versions().isEmpty()) {
            return;
        }
        Versions versions = s.versions().get();
        Map<String, Object> entries = new TreeMap<>();
        for (Versions.Version version : versions.versions()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            Service.Image image = version.image();
            entry.put("image", new LinkedHashMap<>(Schemas.of("registry", image.registry(), "repository", image.repository(), "tag", image.tag(),
                    "digest", image.digest())));
            entry.put("env", new TreeMap<>(version.env()));
            entry.put("replicas", version.replicas());
            entry.put("weight", version.weight());
            entry.put("headers", new TreeMap<>(version.headers()));
            entries.put(version.name(), entry);
        }
        Map<String, Object> image = Schemas.strictObject(Schemas.of("registry", Schemas.string(ServiceValues.IMAGE_REGISTRY),
                "repository", Schemas.string(ServiceValues.IMAGE_REPOSITORY), "tag", Schemas.string(ServiceValues.IMAGE_TAG),
                "digest", Schemas.string(ServiceValues.IMAGE_DIGEST)), "repository");
        Map<String, Object> entry = Schemas.strictObject(Schemas.of("image", image, "env", Schemas.scalarMap(), "replicas", Schemas.integer(0),
                "weight", Schemas.integer(0, 100), "headers", Schemas.stringMap()), "image", "replicas", "weight");
        Service.Port port = s.firstExposedPort().orElseThrow();
        v.section("Versions")
                .param("versions", entries, "Versions behind the one Service, by name: a Deployment <fullname>-<name> each (pods labelled version: <name>)"
                        + " with {image, env (literals laid over env), replicas, weight (% of requests without a matching header), headers (name: exact value)}",
                        Schemas.mapOf(entry))
                .param("versionRouting", versions.routing().value(), "Who splits the requests between the versions: gateway-api (a Service per version"
                        + " and a route whose parent is the Service) or istio (DestinationRule subsets and a VirtualService)", Schemas.oneOf("gateway-api", "istio"))
                .param("versionPort", port.name(), "The port the versions' routing serves (a name of ports)", Schemas.string(Schemas.DNS_LABEL));
        if (versions.routing() == Versions.Routing.GATEWAY_API) {
            v.param("versionRouteKind", port.isGrpc() ? "GRPCRoute" : "HTTPRoute", "Kind of the route between the versions", Schemas.oneOf("HTTPRoute", "GRPCRoute"));
        }
    }
}
