package dev.castle.publish;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.testing.KubeSchemaValidator;
import dev.castle.testing.Tools;

/**
 * Given a registry that requires bearer tokens from a token service (as Docker Hub, GHCR and most
 * registries do), when castle publishes with credentials from the environment or from the Docker
 * config file, then it goes through the token flow and the push succeeds; without or with wrong
 * credentials it is refused with exit 2 and a message that says how to log in.
 */
@Tag("integration")
class OciAuthTest {
    static final String USER = "ci-bot";
    static final String PASSWORD = "s3cr3t:with:colons";
    static final String USERNAME = "CASTLE_REGISTRY_USERNAME";
    static final String PASSWORD_VARIABLE = "CASTLE_REGISTRY_PASSWORD";

    @Test
    void bearerTokenFlowWithCredentialsFromEnvironmentOrDockerConfig(@TempDir Path tmp) throws Exception {
        try (TokenServer tokens = TokenServer.start(tmp, USER, PASSWORD);
             LocalRegistry registry = LocalRegistry.start(tmp, Optional.of(tokens.registryAuth()))) {
            Path chart = Castle.generateShop(tmp.resolve("out"));
            Path home = Files.createDirectories(tmp.resolve("home"));
            String repo = "oci://" + registry.address() + "/charts";

            Castle.Result anonymous = Castle.process(home, Map.of(), "publish", chart.toString(), repo, "--plain-http").assertRefused();
            assertTrue(anonymous.err().contains("401") && anonymous.err().contains(USERNAME), anonymous.err());

            Castle.Result wrong = Castle.process(home, Map.of(USERNAME, USER, PASSWORD_VARIABLE, "wrong"), "publish",
                    chart.toString(), repo, "--plain-http").assertRefused();
            assertTrue(wrong.err().contains("cannot log in to " + registry.address() + " as " + USER) && !wrong.err().contains("wrong"),
                    "names the user, never the password: " + wrong.err());

            int before = tokens.requests().size();
            Castle.Result fromEnv = Castle.process(home, Map.of(USERNAME, USER, PASSWORD_VARIABLE, PASSWORD), "publish",
                    chart.toString(), repo, "--plain-http").assertOk();
            assertTrue(fromEnv.out().contains("published shop 0.1.0"), fromEnv.out());
            List<TokenServer.Request> requests = tokens.requests().subList(before, tokens.requests().size());
            String basic = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            assertTrue(requests.stream().anyMatch(r -> basic.equals(r.authorization())), "credentials go to the token service");
            assertTrue(requests.stream().anyMatch(r -> r.scopes().stream().anyMatch(scope -> scope.startsWith("repository:charts/shop:")
                    && scope.contains("push"))), "a token for pushing to the chart's repository: " + requests);
            // Logged in as helm registry login does: the next run needs no credentials.
            Castle.process(home, Map.of(), "publish", chart.toString(), repo, "--plain-http", "--version", "0.1.3").assertOk();

            // docker login writes ~/.docker/config.json: {"auths": {"host:port": {"auth": base64(user:password)}}}; Helm reads it.
            Path dockerConfig = Files.createDirectories(tmp.resolve("docker"));
            Files.writeString(dockerConfig.resolve("config.json"), "{\"auths\": {\"" + registry.address() + "\": {\"auth\": \""
                    + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)) + "\"}}}");
            Path dockerHome = Files.createDirectories(tmp.resolve("docker-home"));
            Castle.Result fromDocker = Castle.process(dockerHome, Map.of("DOCKER_CONFIG", dockerConfig.toString()), "publish",
                    chart.toString(), repo, "--plain-http", "--version", "0.1.1").assertOk();
            assertTrue(fromDocker.out().contains("published shop 0.1.1"), fromDocker.out());
            Path otherHome = Files.createDirectories(tmp.resolve("other-home"));
            Files.createDirectories(otherHome.resolve(".docker"));
            Files.copy(dockerConfig.resolve("config.json"), otherHome.resolve(".docker/config.json"));
            Castle.process(otherHome, Map.of(), "publish", chart.toString(), repo, "--plain-http", "--version", "0.1.2").assertOk();

            Castle.Result exists = Castle.process(otherHome, Map.of(), "publish", chart.toString(), repo, "--plain-http", "--version",
                    "0.1.2").assertRefused();
            assertTrue(exists.err().contains("already exists"), exists.err());

            for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
                Tools.run(tmp, helm.toString(), "pull", repo + "/shop", "--version", "0.1.2", "--plain-http").assertFailed();
                String rendered = Tools.run(tmp, helm.toString(), "template", "shop", repo + "/shop", "--version", "0.1.1",
                        "--plain-http", "--username", USER, "--password", PASSWORD).assertOk().stdout();
                KubeSchemaValidator.shared().assertValid(rendered);
            }
        }
    }
}
