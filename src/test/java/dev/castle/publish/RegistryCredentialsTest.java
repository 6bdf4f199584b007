package dev.castle.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where castle finds registry credentials, as docker and helm do, and how it reads a challenge. */
class RegistryCredentialsTest {
    private static String auth(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void environmentThenDockerConfigThenHelmRegistryConfig(@TempDir Path home) throws Exception {
        Map<String, String> env = Map.of("HOME", home.toString());
        assertEquals(Optional.empty(), RegistryCredentials.lookup("registry.example.com", env));

        Path helm = Files.createDirectories(home.resolve(".config/helm/registry"));
        Files.writeString(helm.resolve("config.json"), "{\"auths\":{\"registry.example.com\":{\"auth\":\"" + auth("helmuser", "p") + "\"}}}");
        assertEquals("helmuser", RegistryCredentials.lookup("registry.example.com", env).orElseThrow().username());

        Path docker = Files.createDirectories(home.resolve(".docker"));
        Files.writeString(docker.resolve("config.json"), "{\"auths\":{"
                + "\"https://registry.example.com/v1/\":{\"auth\":\"" + auth("dockeruser", "pa:ss") + "\"},"
                + "\"https://index.docker.io/v1/\":{\"username\":\"hub\",\"password\":\"x\"},"
                + "\"ghcr.io\":{\"identitytoken\":\"refresh-me\"}}}");
        RegistryCredentials fromDocker = RegistryCredentials.lookup("registry.example.com", env).orElseThrow();
        assertEquals("dockeruser", fromDocker.username());
        assertEquals("pa:ss", fromDocker.password(), "the password may hold colons");
        assertEquals("hub", RegistryCredentials.lookup("registry-1.docker.io", env).orElseThrow().username());
        assertTrue(RegistryCredentials.lookup("ghcr.io", env).orElseThrow().hasIdentityToken());

        Map<String, String> withEnv = Map.of("HOME", home.toString(), RegistryCredentials.USERNAME_VARIABLE, "envuser",
                RegistryCredentials.PASSWORD_VARIABLE, "envpass");
        assertEquals("envuser", RegistryCredentials.lookup("registry.example.com", withEnv).orElseThrow().username());
        PublishException half = assertThrows(PublishException.class, () -> RegistryCredentials.lookup("registry.example.com",
                Map.of("HOME", home.toString(), RegistryCredentials.USERNAME_VARIABLE, "envuser")));
        assertTrue(half.getMessage().contains(RegistryCredentials.PASSWORD_VARIABLE), half.getMessage());
        assertTrue(!RegistryCredentials.lookup("registry.example.com", withEnv).orElseThrow().toString().contains("envpass"),
                "never shows the password");
    }

    @Test
    void credentialHelper(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path helper = bin.resolve("docker-credential-castletest");
        Files.writeString(helper, "#!/bin/sh\nread server\n[ \"$1\" = get ] && [ \"$server\" = registry.example.com:5000 ] || exit 1\n"
                + "echo '{\"ServerURL\":\"registry.example.com:5000\",\"Username\":\"helped\",\"Secret\":\"from-keychain\"}'\n");
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path docker = Files.createDirectories(dir.resolve("docker"));
        Files.writeString(docker.resolve("config.json"), "{\"credHelpers\":{\"registry.example.com:5000\":\"castletest\"}}");
        Map<String, String> env = Map.of("HOME", dir.toString(), "DOCKER_CONFIG", docker.toString(), "PATH", bin.toString());
        RegistryCredentials found = RegistryCredentials.lookup("registry.example.com:5000", env).orElseThrow();
        assertEquals("helped", found.username());
        assertEquals("from-keychain", found.password());
        assertEquals(Optional.empty(), RegistryCredentials.lookup("other.example.com", env), "no helper for another registry");
    }

    @Test
    void challenges() {
        RegistryClient.Challenge c = RegistryClient.Challenge.parse(
                "Bearer realm=\"https://auth.example.com/token\",service=\"registry.example.com\",scope=\"repository:a/b:pull,push\"");
        assertEquals("bearer", c.scheme());
        assertEquals(Map.of("realm", "https://auth.example.com/token", "service", "registry.example.com",
                "scope", "repository:a/b:pull,push"), c.params());
        assertEquals("basic", RegistryClient.Challenge.parse("Basic realm=\"Registry Realm\"").scheme());
    }
}
