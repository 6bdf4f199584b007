package dev.castle.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the Secrets of the system come from, with every default resolved. A Secret is referenced
 * by name (a service's {@code secrets.<name>} and {@code env.<X>.secret}, {@code imagePullSecrets},
 * an infrastructure component's {@code secret.name}, a TLS {@code secretName}); a name listed in
 * {@link #managed()} is created by castle's chart from a secret manager, any other name must exist.
 * Castle never writes a secret value: it writes an External Secrets Operator {@code ExternalSecret}
 * (remote keys from a store), or includes a {@code SealedSecret} the user sealed.
 *
 * @param namespace   the namespace the model is installed into: the environment's, or the system's
 *                    name for the base (sealed secrets are sealed for one namespace)
 * @param store       the store ExternalSecrets read from unless they name their own
 * @param managed     the Secrets castle's chart creates, sorted by name
 * @param generator   how the passwords of embedded components are generated
 * @param passwordLength length of a generated password
 */
public record Secrets(String namespace, Optional<Store> store, List<Managed> managed, Generator generator, int passwordLength,
                      Declared declared) {
    public static final String DEFAULT_REFRESH_INTERVAL = "1h";
    public static final int DEFAULT_PASSWORD_LENGTH = 32;
    public static final String OPAQUE = "Opaque";
    public static final String DOCKER_CONFIG_JSON = "kubernetes.io/dockerconfigjson";
    public static final String TLS = "kubernetes.io/tls";

    public Secrets {
        managed = List.copyOf(managed);
    }

    /** Kinds of External Secrets Operator stores. */
    public enum StoreKind { SecretStore, ClusterSecretStore }

    /** Where one Secret comes from. */
    public enum Source { existing, externalSecret, sealedSecret }

    /**
     * How an embedded component's passwords are made, once, in the cluster: by a Job run as a Helm
     * pre-install/pre-upgrade hook (an Argo CD PreSync hook, a plain Job under kubectl apply -k) that
     * creates the Secret only when it is absent; or by an ExternalSecret with the External Secrets
     * Operator's Password generator, created once ({@code refreshPolicy: CreatedOnce}).
     */
    public enum Generator { job, externalSecrets }

    /** Scope of a sealed secret, from its annotations: who may unseal it under which name. */
    public enum Scope {
        strict, namespaceWide, clusterWide;

        /** The value castle's chart writes (and the annotation that says it). */
        public String value() {
            return switch (this) {
                case strict -> "strict";
                case namespaceWide -> "namespace-wide";
                case clusterWide -> "cluster-wide";
            };
        }
    }

    /**
     * The store ExternalSecrets read from; castle writes it (in the release namespace, or cluster-wide)
     * when {@code provider} is given, else it must exist.
     */
    public record Store(String name, StoreKind kind, String refreshInterval, Optional<Map<String, Object>> provider) {
    }

    public record StoreRef(String name, StoreKind kind) {
    }

    /** A key (and property, version) in the secret manager. */
    public record RemoteRef(String key, Optional<String> property, Optional<String> version) {
    }

    /** A Secret filled by the External Secrets Operator: keys from remote references, and whole remote secrets. */
    public record External(Optional<StoreRef> store, String refreshInterval, Map<String, RemoteRef> data, List<RemoteRef> dataFrom) {
        public External {
            data = Map.copyOf(data);
            dataFrom = List.copyOf(dataFrom);
        }

        /** The keys the Secret will have, when they are all named (no {@code dataFrom}). */
        public Optional<List<String>> keys() {
            return dataFrom.isEmpty() ? Optional.of(data.keySet().stream().sorted().toList()) : Optional.empty();
        }
    }

    /**
     * A SealedSecret file the user sealed with kubeseal, read by the one bounded reader of the files a
     * descriptor names. {@code problem} says why it cannot be used (then the content is empty).
     */
    public record Sealed(String file, Optional<SealedFile> content, Optional<String> problem) {
    }

    /** What castle reads from a sealed file: its name, namespace and scope, its encrypted keys, and its spec as written. */
    public record SealedFile(String name, Optional<String> namespace, Scope scope, List<String> keys, Map<String, Object> spec) {
        public SealedFile {
            keys = List.copyOf(keys);
        }
    }

    /** One Secret castle's chart creates (or, with {@code existing}, leaves to the cluster in this environment). */
    public record Managed(String name, Source from, String type, Optional<External> external, Optional<Sealed> sealed, Declared declared) {
        /** The keys the Secret will have, when castle knows them. */
        public Optional<List<String>> keys() {
            return switch (from) {
                case externalSecret -> external.flatMap(External::keys);
                case sealedSecret -> sealed.flatMap(Sealed::content).map(SealedFile::keys);
                case existing -> Optional.empty();
            };
        }
    }

    public Optional<Managed> managed(String name) {
        return managed.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** The Secrets castle's chart creates here (not those left to the cluster). */
    public List<Managed> created() {
        return managed.stream().filter(m -> m.from() != Source.existing).toList();
    }
}
