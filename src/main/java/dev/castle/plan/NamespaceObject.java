package dev.castle.plan;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.castle.model.SystemModel;

/**
 * The Namespace of an environment, as the Kustomize overlays and the GitOps manifests create it:
 * labelled with the system and environment, enforcing the Pod Security Standards profile the
 * system meets (restricted, or baseline when the descriptor relaxes a service) and warning on
 * anything below restricted.
 */
public final class NamespaceObject {
    private NamespaceObject() {
    }

    /** The labels of the namespace. */
    public static Map<String, Object> labels(SystemModel system, String environment) {
        Map<String, Object> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/part-of", system.metadata().name());
        labels.put("castle.dev/environment", environment);
        labels.put("pod-security.kubernetes.io/enforce", system.podSecurityProfile());
        labels.put("pod-security.kubernetes.io/enforce-version", "latest");
        labels.put("pod-security.kubernetes.io/warn", "restricted");
        return labels;
    }

    public static Map<String, Object> of(SystemModel system, String name, String environment) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        metadata.put("labels", labels(system, environment));
        Map<String, Object> namespace = new LinkedHashMap<>();
        namespace.put("apiVersion", "v1");
        namespace.put("kind", "Namespace");
        namespace.put("metadata", metadata);
        return namespace;
    }
}
