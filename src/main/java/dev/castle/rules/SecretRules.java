package dev.castle.rules;

import java.util.List;
import java.util.Optional;

import dev.castle.load.Node;
import dev.castle.load.Suggestions;
import dev.castle.model.Infrastructure;
import dev.castle.model.Secrets;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;
import dev.castle.schema.StoreProviderSchema;

/**
 * Secrets from secret managers: each source has what it needs (a store, remote keys, a readable
 * sealed file sealed for this Secret's name and the namespace it is installed into), no secret value
 * is ever written (no fake store, whose data are values), and every reference to a key of a Secret
 * castle creates names a key that Secret has.
 */
final class SecretRules {
    static final List<Rule.OfSystem> SYSTEM = List.of(SecretRules::sourceIsChosen, SecretRules::sourceHasWhatItNeeds,
            SecretRules::sealedFileFits, SecretRules::noSecretValuesInTheStore, SecretRules::providerFitsTheCrd, SecretRules::referencedKeysExist,
            SecretRules::pullSecretsAreRegistryCredentials, SecretRules::referencedSecretsAreRead);

    private SecretRules() {
    }

    static void sourceIsChosen(SystemModel system, Findings out) {
        for (Secrets.Managed m : system.secrets().managed()) {
            if (m.declared().has("externalSecret") && m.declared().has("sealedSecret") && !m.declared().has("from")) {
                out.error(m.declared().pointer(), "Secret '" + m.name() + "' has both externalSecret and sealedSecret settings",
                        "say which one it comes from with from: externalSecret or from: sealedSecret");
            }
        }
    }

    static void sourceHasWhatItNeeds(SystemModel system, Findings out) {
        for (Secrets.Managed m : system.secrets().managed()) {
            switch (m.from()) {
                case externalSecret -> {
                    if (m.external().isEmpty()) {
                        out.error(m.declared().at("from"), "Secret '" + m.name() + "' comes from an ExternalSecret but says nothing of it",
                                "externalSecret: {data: {KEY: {key: REMOTE_KEY, property: PROPERTY}}} or externalSecret: {dataFrom: [{key: REMOTE_KEY}]}");
                    } else if (m.external().get().store().isEmpty()) {
                        out.error(m.declared().at("externalSecret"), "Secret '" + m.name() + "' has no store to read from",
                                "a system-wide secretStore: {name: STORE, kind: ClusterSecretStore}, or externalSecret.store.name");
                    }
                }
                case sealedSecret -> {
                    if (m.sealed().isEmpty()) {
                        out.error(m.declared().at("from"), "Secret '" + m.name() + "' comes from a SealedSecret but names no file",
                                "sealedSecret: {file: sealed/" + m.name() + ".yaml}, sealed with kubeseal for the namespace it is installed into");
                    }
                }
                case existing -> {
                }
            }
        }
    }

    /** A sealed file is read, is a SealedSecret, and was sealed for this name and this namespace (as its scope requires). */
    static void sealedFileFits(SystemModel system, Findings out) {
        String namespace = system.secrets().namespace();
        for (Secrets.Managed m : system.secrets().managed()) {
            if (m.from() != Secrets.Source.sealedSecret || m.sealed().isEmpty()) {
                continue;
            }
            Secrets.Sealed sealed = m.sealed().get();
            String at = m.declared().at("sealedSecret/file");
            String allowed = "the output of kubeseal --name " + m.name() + " --namespace " + namespace + " --format yaml";
            sealed.problem().ifPresent(problem -> out.error(at, problem, allowed));
            sealed.content().ifPresent(file -> {
                if (file.scope() == Secrets.Scope.strict && !file.name().equals(m.name())) {
                    out.error(at, "sealed secret file '" + sealed.file() + "' was sealed for the name '" + file.name()
                            + "', not '" + m.name() + "' (the controller would refuse to unseal it)", allowed);
                }
                if (file.scope() != Secrets.Scope.clusterWide && !file.namespace().equals(Optional.of(namespace))) {
                    out.error(at, "sealed secret file '" + sealed.file() + "' was sealed for the namespace '" + file.namespace().orElse("")
                            + "', but it is installed into '" + namespace + "' (the controller would refuse to unseal it)",
                            allowed + "; each environment names its own file under environments.<env>.secrets." + m.name() + ".sealedSecret.file");
                }
            });
        }
    }

    static void noSecretValuesInTheStore(SystemModel system, Findings out) {
        system.secrets().store().flatMap(Secrets.Store::provider).filter(p -> p.containsKey("fake")).ifPresent(p ->
                out.error(system.secrets().declared().at("provider/fake"), "the fake provider holds secret values, which castle never writes",
                        "create the fake store yourself and name it: secretStore: {name: STORE}; or another provider"));
    }

    /**
     * castle writes the provider into the SecretStore as written: it must have the shape the
     * operator's CRD gives it (a provider it knows, the fields that provider has, of their types).
     */
    static void providerFitsTheCrd(SystemModel system, Findings out) {
        system.secrets().store().flatMap(Secrets.Store::provider).ifPresent(provider -> {
            for (StoreProviderSchema.Problem p : StoreProviderSchema.check(provider)) {
                String at = system.secrets().declared().at("provider" + p.pointer());
                if (p.atKey()) {
                    out.errorAtKey(at, p.problem(), p.allowed(), p.suggestion());
                } else {
                    out.error(at, p.problem(), p.allowed(), p.suggestion());
                }
            }
        });
    }

    /** env secretKeyRefs, keys mounted as files and components' credential keys name keys of the Secret, when castle creates it and knows its keys. */
    static void referencedKeysExist(SystemModel system, Findings out) {
        for (Service s : system.services()) {
            for (Service.SecretRef secret : s.configuration().secrets()) {
                secret.mounts().keySet().forEach(key -> checkKey(system, secret.name(), key, s.declared().at("secrets/"
                        + Node.escapePointerToken(secret.name()) + "/mounts/" + Node.escapePointerToken(key)), out));
            }
            for (Service.EnvVar env : s.container().env()) {
                if (env instanceof Service.SecretKey ref) {
                    checkKey(system, ref.secret(), ref.key(), s.declared().at("env/" + Node.escapePointerToken(ref.name()) + "/key"), out);
                }
            }
        }
        for (Infrastructure c : system.infrastructure()) {
            if (c.auth().mode() != Infrastructure.AuthMode.existingSecret) {
                continue;
            }
            String at = c.declared().has("auth") ? "auth/existingSecret/" : "secret/";
            c.auth().existingSecret().ifPresent(secret -> {
                if (!secret.usernameKey().isEmpty()) {
                    checkKey(system, secret.name(), secret.usernameKey(), c.declared().at(at + "usernameKey"), out);
                }
                checkKey(system, secret.name(), secret.passwordKey(), c.declared().at(at + "passwordKey"), out);
                if (c.auth().rootPasswordInSecret()) {
                    checkKey(system, secret.name(), c.auth().rootPasswordKey(), c.declared().at(at + "rootPasswordKey"), out);
                }
            });
        }
    }

    private static void checkKey(SystemModel system, String secret, String key, String at, Findings out) {
        system.secrets().managed(secret).filter(m -> m.from() != Secrets.Source.existing).flatMap(Secrets.Managed::keys)
                .filter(keys -> !keys.contains(key)).ifPresent(keys -> out.error(at, "'" + key + "' is not a key of the Secret '" + secret
                        + "' (castle creates it from secrets." + secret + ")", "one of: " + String.join(", ", keys), Suggestions.closest(key, keys)));
    }

    /** A Secret a service names is read: as variables, as a folder of files, or key by key. */
    static void referencedSecretsAreRead(SystemModel system, Findings out) {
        for (Service s : system.services()) {
            for (Service.SecretRef secret : s.configuration().secrets()) {
                if (!secret.envFrom() && secret.mountPath().isEmpty() && secret.mounts().isEmpty()) {
                    out.error(s.declared().at("secrets/" + Node.escapePointerToken(secret.name())), "the pods would read nothing of the Secret '"
                            + secret.name() + "'", "envFrom: true, a mountPath or mounts");
                }
            }
        }
    }

    static void pullSecretsAreRegistryCredentials(SystemModel system, Findings out) {
        for (Service s : system.services()) {
            for (String name : s.container().imagePullSecrets()) {
                system.secrets().managed(name).filter(m -> m.from() == Secrets.Source.externalSecret)
                        .filter(m -> !m.type().equals(Secrets.DOCKER_CONFIG_JSON) && !m.type().equals("kubernetes.io/dockercfg"))
                        .ifPresent(m -> out.error(m.declared().at("type"), "Secret '" + name + "' is an imagePullSecret of " + s.name()
                                + " but has the type " + m.type(), Secrets.DOCKER_CONFIG_JSON + " (the default for registry credentials)"));
            }
        }
    }
}
