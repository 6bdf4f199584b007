package dev.castle.rules;

import java.util.List;

import dev.castle.model.Infrastructure;
import dev.castle.model.Infrastructure.AuthMode;
import dev.castle.model.Infrastructure.Mode;
import dev.castle.model.SystemModel;

/**
 * A component's authentication fits what castle can set up: a mode its image supports, generated
 * credentials only where castle runs the server, the Secret said once, and only the fields a mode
 * reads.
 */
final class AuthRules {
    static final List<Rule.OfInfrastructure> INFRASTRUCTURE = List.of(AuthRules::modeFitsType, AuthRules::generatedOnlyEmbedded,
            AuthRules::secretSaidOnce, AuthRules::managedModesWriteTheirOwn, AuthRules::existingSecretKeysFit, AuthRules::usernameNeedsAuthentication,
            AuthRules::memcachedTakesNoCredentials);

    private AuthRules() {
    }

    static void modeFitsType(Infrastructure c, SystemModel system, Findings out) {
        if (c.declared().has("auth") && c.mode() == Mode.embedded && !c.type().authModes().contains(c.auth().mode())) {
            out.error(c.declared().at("auth"), "castle's embedded " + c.type() + " takes no credentials: clients connect without any, "
                    + "and the network policies admit only the declared callers", "auth: none (or leave auth out)");
        }
    }

    /**
     * memcached takes no credentials in any mode: castle sets up none of its own (SASL, an auth file), and the clients
     * castle wires get a host and a port only (an embedded one is refused by {@link #modeFitsType}).
     */
    static void memcachedTakesNoCredentials(Infrastructure c, SystemModel system, Findings out) {
        if (c.type() != Infrastructure.Type.memcached || c.mode() == Mode.embedded || c.mode().managed()) {
            return;
        }
        for (String field : List.of("auth", "secret")) {
            if (c.declared().has(field) && c.auth().mode() != AuthMode.none) {
                out.error(c.declared().at(field), "memcached takes no credentials: castle gives its clients a host and a port only",
                        "auth: none (or leave " + field + " out)");
            }
        }
    }

    static void generatedOnlyEmbedded(Infrastructure c, SystemModel system, Findings out) {
        if (c.mode() != Mode.embedded && c.declared().text("auth").filter("generated"::equals).isPresent()) {
            out.error(c.declared().at("auth"), "castle generates credentials only for a component it runs (mode embedded); this one is "
                    + c.mode(), "auth: {existingSecret: {name: SECRET}} with the Secret that holds them, or auth: none");
        }
    }

    static void managedModesWriteTheirOwn(Infrastructure c, SystemModel system, Findings out) {
        if (c.mode().managed() && c.declared().has("auth")) {
            out.error(c.declared().at("auth"), "a component " + (c.mode() == Mode.operator ? "run by an operator" : "claimed")
                    + " has the credentials its " + (c.mode() == Mode.operator ? "operator" : "claim") + " writes in its own Secret",
                    "leave auth out; an environment switching to mode " + c.mode() + " leaves the base's auth behind");
        }
    }

    static void secretSaidOnce(Infrastructure c, SystemModel system, Findings out) {
        if (c.declared().has("secret") && c.declared().has("auth")) {
            out.error(c.declared().at("secret"), "the credentials are given twice, by secret and by auth",
                    "auth: {existingSecret: {name, usernameKey, passwordKey}} alone");
        }
    }

    static void existingSecretKeysFit(Infrastructure c, SystemModel system, Findings out) {
        if (c.mode() == Mode.embedded && c.declared().has("auth/existingSecret/usernameKey")) {
            out.error(c.declared().at("auth/existingSecret/usernameKey"), "the embedded server's user is its username ('" + c.username()
                    + "'), which its clients get as written: only the password comes from the Secret", "passwordKey (and username)");
        }
        if (c.declared().has("auth/existingSecret/rootPasswordKey") && !c.auth().rootPasswordInSecret()) {
            out.error(c.declared().at("auth/existingSecret/rootPasswordKey"), "rootPasswordKey is the password of the administrator of an "
                    + "embedded mongodb or mysql (root); this component has none", "usernameKey and passwordKey");
        }
    }

    static void usernameNeedsAuthentication(Infrastructure c, SystemModel system, Findings out) {
        if (c.mode() == Mode.embedded && c.auth().mode() == AuthMode.none && c.declared().has("username") && c.type() != Infrastructure.Type.postgresql) {
            out.error(c.declared().at("username"), "without authentication (auth: none) there is no user to name"
                    + (c.type() == Infrastructure.Type.mysql ? " (clients connect as root)" : ""), "leave username out, or choose an auth with credentials");
        }
    }
}
