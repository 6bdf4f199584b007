package dev.castle.plan;

import static dev.castle.plan.Schemas.array;
import static dev.castle.plan.Schemas.bool;
import static dev.castle.plan.Schemas.mapOf;
import static dev.castle.plan.Schemas.object;
import static dev.castle.plan.Schemas.of;
import static dev.castle.plan.Schemas.oneOf;
import static dev.castle.plan.Schemas.string;
import static dev.castle.plan.Schemas.strictObject;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import dev.castle.model.Secrets;
import dev.castle.model.SystemModel;

/**
 * The parent chart's values of the Secrets castle creates ({@code secrets.<name>}) and of the store
 * it writes ({@code secretStore}), read by the library's {@code _secrets.tpl}. They are declared when
 * the system or one of its environments uses them, so that every environment's values fit the
 * chart's schema. A sealed secret's encrypted data is kept by the namespace it was sealed for: an
 * environment adds its own, and the chart picks the one for the release namespace.
 */
final class SecretsValues {
    /** The key of a sealed secret that any namespace may unseal. */
    static final String ANY_NAMESPACE = "*";
    private static final String KEY = "^[-._a-zA-Z0-9]+$";
    private static final String SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    private SecretsValues() {
    }

    /** Whether the chart carries the Secrets castle creates: some model, base or environment, creates one. */
    static boolean hasSecrets(SystemModel system) {
        return models(system).anyMatch(m -> !m.secrets().managed().isEmpty());
    }

    /**
     * Whether the chart carries the values of a store: some model names one (an environment whose
     * store exists in the cluster then says create: false over a base that writes its own).
     */
    static boolean hasStore(SystemModel system) {
        return models(system).anyMatch(m -> m.secrets().store().isPresent());
    }

    private static Stream<SystemModel> models(SystemModel system) {
        return Stream.concat(Stream.of(system), system.environments().stream().map(SystemModel.Environment::model));
    }

    static void parameters(ChartValues values, SystemModel system) {
        if (hasStore(system)) {
            Secrets.Store store = system.secrets().store().orElse(null);
            Map<String, Object> provider = store == null ? Map.of() : store.provider().orElse(Map.of());
            values.section("Secret store")
                    .param("secretStore.create", !provider.isEmpty(), "Write the External Secrets Operator store the ExternalSecrets read from", bool())
                    .param("secretStore.name", store == null ? "" : store.name(), "Name of the store", string("^$|" + SUBDOMAIN))
                    .param("secretStore.kind", store == null ? Secrets.StoreKind.ClusterSecretStore.name() : store.kind().name(),
                            "SecretStore (in the release namespace) or ClusterSecretStore", oneOf("ClusterSecretStore", "SecretStore"))
                    .param("secretStore.provider", provider.keySet().stream().findFirst().orElse(""),
                            "The provider the store uses: one of secretStore.providers", string())
                    .param("secretStore.providers", new TreeMap<>(provider), "Settings of each provider by name, in the External Secrets Operator's form",
                            mapOf(object()));
        }
        if (hasSecrets(system)) {
            Map<String, Object> secrets = new TreeMap<>();
            system.secrets().managed().forEach(m -> secrets.put(m.name(), entry(system.secrets(), m)));
            values.section("Secrets from secret managers")
                    .param("secrets", secrets, "Secrets the chart creates, by name: from an ExternalSecret (remote keys of a store) or a SealedSecret "
                            + "(encrypted data by the namespace it was sealed for); from: existing creates none", mapOf(entrySchema()));
        }
    }

    private static Map<String, Object> entry(Secrets secrets, Secrets.Managed m) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("from", m.from().name());
        if (m.from() == Secrets.Source.externalSecret) {
            Secrets.External e = m.external().orElseThrow();
            entry.put("type", m.type());
            Map<String, Object> external = new LinkedHashMap<>();
            external.put("store", e.store().map(s -> (Object) new LinkedHashMap<>(of("name", s.name(), "kind", s.kind().name())))
                    .orElse(new LinkedHashMap<>(of("name", "", "kind", Secrets.StoreKind.ClusterSecretStore.name()))));
            external.put("refreshInterval", e.refreshInterval());
            Map<String, Object> data = new TreeMap<>();
            e.data().forEach((key, ref) -> data.put(key, remote(ref)));
            external.put("data", data);
            external.put("dataFrom", e.dataFrom().stream().map(SecretsValues::remote).toList());
            entry.put("externalSecret", external);
        } else if (m.from() == Secrets.Source.sealedSecret) {
            m.sealed().flatMap(Secrets.Sealed::content).ifPresent(file -> {
                Map<String, Object> sealed = new LinkedHashMap<>();
                sealed.put("scope", file.scope().value());
                sealed.putAll(file.spec());
                String namespace = file.scope() == Secrets.Scope.clusterWide ? ANY_NAMESPACE : secrets.namespace();
                entry.put("sealedSecret", new LinkedHashMap<>(of("namespaces", new TreeMap<>(Map.of(namespace, sealed)))));
            });
        }
        return entry;
    }

    private static Map<String, Object> remote(Secrets.RemoteRef ref) {
        Map<String, Object> remote = new LinkedHashMap<>();
        remote.put("key", ref.key());
        ref.property().ifPresent(p -> remote.put("property", p));
        ref.version().ifPresent(v -> remote.put("version", v));
        return remote;
    }

    private static Map<String, Object> entrySchema() {
        Map<String, Object> remote = strictObject(of("key", string(), "property", string(), "version", string()), "key");
        Map<String, Object> external = strictObject(of(
                "store", strictObject(of("name", string(SUBDOMAIN), "kind", oneOf("ClusterSecretStore", "SecretStore")), "name", "kind"),
                "refreshInterval", string("^(0|([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)$"),
                "data", of("type", "object", "propertyNames", of("pattern", KEY), "additionalProperties", remote),
                "dataFrom", array(remote)), "store", "refreshInterval");
        Map<String, Object> sealed = strictObject(of("scope", oneOf("strict", "namespace-wide", "cluster-wide"),
                "encryptedData", of("type", "object", "propertyNames", of("pattern", KEY), "additionalProperties", of("type", "string")),
                "template", object()), "scope", "encryptedData");
        return strictObject(of("from", oneOf("existing", "externalSecret", "sealedSecret"), "type", string(),
                "externalSecret", external, "sealedSecret", strictObject(of("namespaces", mapOf(sealed)), "namespaces")), "from");
    }
}
