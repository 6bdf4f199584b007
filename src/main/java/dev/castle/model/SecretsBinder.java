package dev.castle.model;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import dev.castle.load.ConfigFileReader;
import dev.castle.load.DescriptorLoader;
import dev.castle.load.InvalidInputException;
import dev.castle.load.Node;

/**
 * Binds {@code secretStore}, {@code credentials} and {@code secrets}, deciding their defaults: a
 * ClusterSecretStore refreshed every hour; a Secret comes from the source whose settings it has
 * (else it exists); its type is {@code kubernetes.io/dockerconfigjson} when a pod pulls images with
 * it, {@code kubernetes.io/tls} when a route or Gateway serves TLS with it, else Opaque; passwords of
 * embedded components are 32 characters made by a hook Job. Sealed files are read by the one bounded
 * reader of the descriptor's files and parsed by the descriptor's own hardened YAML loader.
 */
final class SecretsBinder {
    static final Secrets.StoreKind DEFAULT_STORE_KIND = Secrets.StoreKind.ClusterSecretStore;
    static final Secrets.Generator DEFAULT_GENERATOR = Secrets.Generator.job;
    static final String SEALED_API_VERSION = "bitnami.com/v1alpha1";
    static final String NAMESPACE_WIDE = "sealedsecrets.bitnami.com/namespace-wide";
    static final String CLUSTER_WIDE = "sealedsecrets.bitnami.com/cluster-wide";

    private final ConfigFileReader files;

    SecretsBinder(ConfigFileReader files) {
        this.files = files;
    }

    Secrets bind(Fields doc, String namespace, List<Service> services, SystemModel.Gateway gateway) {
        Optional<Secrets.Store> store = doc.object("secretStore").text("name").map(name -> {
            Fields s = doc.object("secretStore");
            return new Secrets.Store(name, s.enumValue("kind", Secrets.StoreKind.class, DEFAULT_STORE_KIND),
                    s.text("refreshInterval", Secrets.DEFAULT_REFRESH_INTERVAL),
                    s.node("provider").filter(Node.MapNode.class::isInstance).map(SecretsBinder::plainMap));
        });
        Set<String> pullSecrets = new java.util.HashSet<>();
        Set<String> tlsSecrets = new java.util.HashSet<>();
        for (Service s : services) {
            pullSecrets.addAll(s.container().imagePullSecrets());
            s.operations().expose().flatMap(Operations.Expose::tls).flatMap(Operations.Tls::secretName).ifPresent(tlsSecrets::add);
        }
        gateway.tls().flatMap(Operations.Tls::secretName).ifPresent(tlsSecrets::add);
        List<Secrets.Managed> managed = new ArrayList<>();
        new TreeMap<>(doc.entries("secrets")).forEach((name, node) -> {
            Fields m = new Fields(node);
            Secrets.Source from = m.enumValue("from", Secrets.Source.class, m.has("externalSecret") ? Secrets.Source.externalSecret
                    : m.has("sealedSecret") ? Secrets.Source.sealedSecret : Secrets.Source.existing);
            String type = m.text("type", pullSecrets.contains(name) ? Secrets.DOCKER_CONFIG_JSON
                    : tlsSecrets.contains(name) ? Secrets.TLS : Secrets.OPAQUE);
            Optional<Secrets.External> external = m.has("externalSecret") ? Optional.of(external(m.object("externalSecret"), store))
                    : Optional.empty();
            Optional<Secrets.Sealed> sealed = m.object("sealedSecret").text("file").map(this::sealed);
            managed.add(new Secrets.Managed(name, from, type, external, sealed,
                    DeclaredKeys.declared("/secrets/" + Node.escapePointerToken(name), node, List.of())));
        });
        Fields credentials = doc.object("credentials");
        return new Secrets(namespace, store, managed, credentials.enumValue("generator", Secrets.Generator.class, DEFAULT_GENERATOR),
                credentials.integer("length", Secrets.DEFAULT_PASSWORD_LENGTH),
                doc.node("secretStore").map(n -> DeclaredKeys.declared("/secretStore", n, List.of())).orElse(Declared.none("/secretStore")));
    }

    /** The store is the secret's own, else the system's; the refresh interval the secret's, else the store's, else an hour. */
    private static Secrets.External external(Fields e, Optional<Secrets.Store> systemStore) {
        Optional<Secrets.StoreRef> store = e.object("store").text("name")
                .map(name -> new Secrets.StoreRef(name, e.object("store").enumValue("kind", Secrets.StoreKind.class, DEFAULT_STORE_KIND)))
                .or(() -> systemStore.map(s -> new Secrets.StoreRef(s.name(), s.kind())));
        String refresh = e.text("refreshInterval").orElse(systemStore.map(Secrets.Store::refreshInterval).orElse(Secrets.DEFAULT_REFRESH_INTERVAL));
        Map<String, Secrets.RemoteRef> data = new TreeMap<>();
        e.entries("data").forEach((key, ref) -> data.put(key, remote(new Fields(ref))));
        List<Secrets.RemoteRef> dataFrom = e.items("dataFrom").stream().map(item -> remote(new Fields(item))).toList();
        return new Secrets.External(store, refresh, data, dataFrom);
    }

    private static Secrets.RemoteRef remote(Fields r) {
        return new Secrets.RemoteRef(r.text("key", ""), r.text("property"), r.text("version"));
    }

    /** Reads and parses a sealed file; what makes it unusable becomes its problem, for a located message. */
    private Secrets.Sealed sealed(String file) {
        ConfigFileReader.TextFile text = files.read(file, "sealed secret file");
        if (text.problem().isPresent()) {
            return new Secrets.Sealed(file, Optional.empty(), text.problem());
        }
        Node root;
        try {
            root = new DescriptorLoader().load(Path.of(file), text.text().getBytes(StandardCharsets.UTF_8));
        } catch (InvalidInputException e) {
            var first = e.diagnostics().get(0);
            return new Secrets.Sealed(file, Optional.empty(), Optional.of("sealed secret file '" + file + "', line "
                    + first.position().line() + ", column " + first.position().column() + ": " + first.problem()));
        }
        Fields f = new Fields(root);
        Fields metadata = f.object("metadata");
        List<String> wrong = new ArrayList<>();
        if (!f.text("apiVersion", "").equals(SEALED_API_VERSION) || !f.text("kind", "").equals("SealedSecret")) {
            wrong.add("is not a SealedSecret (apiVersion " + SEALED_API_VERSION + ", kind SealedSecret)");
        }
        Map<String, String> annotations = metadata.stringMap("annotations");
        Secrets.Scope scope = "true".equals(annotations.get(CLUSTER_WIDE)) ? Secrets.Scope.clusterWide
                : "true".equals(annotations.get(NAMESPACE_WIDE)) ? Secrets.Scope.namespaceWide : Secrets.Scope.strict;
        Fields spec = f.object("spec");
        Map<String, String> encrypted = spec.stringMap("encryptedData");
        if (encrypted.isEmpty()) {
            wrong.add("has no spec.encryptedData");
        }
        spec.entries().keySet().stream().filter(k -> !k.equals("encryptedData") && !k.equals("template")).sorted()
                .forEach(k -> wrong.add("has spec." + k + " (castle takes encryptedData and template)"));
        if (metadata.text("name").isEmpty()) {
            wrong.add("has no metadata.name");
        }
        if (!wrong.isEmpty()) {
            return new Secrets.Sealed(file, Optional.empty(), Optional.of("sealed secret file '" + file + "' " + String.join(", ", wrong)));
        }
        Map<String, Object> kept = new LinkedHashMap<>();
        kept.put("encryptedData", new TreeMap<>(encrypted));
        spec.node("template").filter(Node.MapNode.class::isInstance).ifPresent(t -> kept.put("template", withoutNulls(plainMap(t))));
        return new Secrets.Sealed(file, Optional.of(new Secrets.SealedFile(metadata.text("name", ""), metadata.text("namespace"), scope,
                List.copyOf(encrypted.keySet()), kept)), Optional.empty());
    }

    /** kubeseal writes {@code creationTimestamp: null}: a null says nothing, and Kubernetes' schemas refuse it. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutNulls(Map<String, Object> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((key, value) -> {
            if (value instanceof Map<?, ?> inner) {
                out.put(key, withoutNulls((Map<String, Object>) inner));
            } else if (value != null) {
                out.put(key, value);
            }
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> plainMap(Node node) {
        return (Map<String, Object>) InfrastructureBinder.plain(node);
    }
}
