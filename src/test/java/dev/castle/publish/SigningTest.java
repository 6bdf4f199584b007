package dev.castle.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.testing.Tools;

/**
 * Given a throwaway GnuPG key made by the test, when castle packages the shop chart with
 * {@code --sign}, then real Helm 3 and Helm 4 verify the provenance ({@code helm verify},
 * {@code helm template/install --verify}), from the folder, from an OCI registry (the provenance
 * layer) and from an HTTP repository; a changed archive or the wrong key fails verification; the
 * archive stays reproducible and carries Artifact Hub's signKey annotation.
 */
@Tag("integration")
class SigningTest {
    @TempDir
    static Path tmp;
    static Path secring;
    static Path pubring;
    static Path protectedRing;
    static String fingerprint;
    static LocalRegistry registry;

    @BeforeAll
    static void makeKeysAndRegistry() throws Exception {
        Path gnupg = Files.createDirectories(tmp.resolve("gnupg"));
        Files.setPosixFilePermissions(gnupg, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Path params = Files.writeString(tmp.resolve("key-params"), String.join("\n", "%no-protection", "Key-Type: RSA",
                "Key-Length: 2048", "Name-Real: Castle Test", "Name-Email: signing@castle.example", "Expire-Date: 0", "%commit", ""));
        gpg(gnupg, "--gen-key", params.toString());
        Path protectedParams = Files.writeString(tmp.resolve("protected-params"), String.join("\n", "Key-Type: RSA",
                "Key-Length: 2048", "Name-Real: Protected Key", "Passphrase: open sesame", "Expire-Date: 0", "%commit", ""));
        gpg(gnupg, "--pinentry-mode", "loopback", "--gen-key", protectedParams.toString());
        secring = tmp.resolve("secring.gpg");
        pubring = tmp.resolve("pubring.gpg");
        protectedRing = tmp.resolve("protected.gpg");
        Files.write(secring, gpgBytes(gnupg, "--export-secret-keys", "Castle Test"));
        Files.write(pubring, gpgBytes(gnupg, "--export"));
        Files.write(protectedRing, gpgBytes(gnupg, "--pinentry-mode", "loopback", "--passphrase", "open sesame",
                "--export-secret-keys", "Protected Key"));
        String colons = new String(gpgBytes(gnupg, "--with-colons", "--fingerprint", "Castle Test"));
        fingerprint = colons.lines().filter(l -> l.startsWith("fpr:")).findFirst().orElseThrow().split(":")[9];
        registry = LocalRegistry.start(tmp, Optional.empty());
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void signedChartsVerifyWithHelm3AndHelm4(@TempDir Path work) throws Exception {
        Path chart = Castle.generateShop(work.resolve("out"));
        Path dist = work.resolve("dist");
        Castle.Result packaged = Castle.run("package", chart.toString(), "-d", dist.toString(), "--sign", "--key", "Castle Test",
                "--keyring", secring.toString(), "--key-url", "https://keys.example.com/castle.asc").assertOk();
        assertTrue(packaged.out().contains("signed: " + dist.resolve("shop-0.1.0.tgz.prov")), packaged.out());
        Path archive = dist.resolve("shop-0.1.0.tgz");
        String chartYaml = new String(Castle.entries(archive).get("shop/Chart.yaml"));
        assertTrue(chartYaml.contains("artifacthub.io/signKey: |\n    fingerprint: " + fingerprint
                + "\n    url: https://keys.example.com/castle.asc\n"), chartYaml);

        Path again = work.resolve("again");
        Castle.run("package", chart.toString(), "-d", again.toString(), "--sign", "--key", "signing@castle", "--keyring",
                secring.toString(), "--key-url", "https://keys.example.com/castle.asc").assertOk();
        assertEquals(Castle.sha256(archive), Castle.sha256(again.resolve("shop-0.1.0.tgz")), "signed archives are reproducible too");

        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            String verified = Tools.run(work, helm.toString(), "verify", archive.toString(), "--keyring", pubring.toString())
                    .assertOk().stdout() + "";
            assertTrue(verified.contains("Signed by: Castle Test <signing@castle.example>")
                    && verified.contains("Chart Hash Verified: sha256:" + Castle.sha256(archive)), verified);
            Tools.run(work, helm.toString(), "template", "shop", archive.toString(), "--verify", "--keyring", pubring.toString())
                    .assertOk();
        }
        Tools.run(work, Tools.helm4().toString(), "install", "shop", archive.toString(), "--verify", "--keyring", pubring.toString(),
                "--dry-run=client", "--namespace", "shop").assertOk();
        // Helm 3's client dry run still asks the cluster for its version: the verification passes before that.
        String helm3Install = Tools.run(work, Tools.helm3().toString(), "install", "shop", archive.toString(), "--verify", "--keyring",
                pubring.toString(), "--dry-run=client").stderr();
        assertTrue(helm3Install.contains("cluster unreachable") && !helm3Install.contains("verif"), helm3Install);

        // A changed archive fails verification.
        Path tampered = Files.createDirectories(work.resolve("tampered"));
        Files.copy(again.resolve("shop-0.1.0.tgz.prov"), tampered.resolve("shop-0.1.0.tgz.prov"));
        Castle.run("package", chart.toString(), "-d", tampered.toString(), "--app-version", "9.9").assertOk();
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            String refused = Tools.run(work, helm.toString(), "verify", tampered.resolve("shop-0.1.0.tgz").toString(), "--keyring",
                    pubring.toString()).assertFailed().stderr();
            assertTrue(refused.contains("sha256 sum does not match"), refused);
        }
    }

    @Test
    void signedChartsArePublishedWithTheirProvenance(@TempDir Path work) throws Exception {
        Path chart = Castle.generateShop(work.resolve("out"));
        String repo = "oci://" + registry.address() + "/signed";
        Castle.Result oci = Castle.run("publish", chart.toString(), repo, "--plain-http", "--sign", "--key", "Castle Test",
                "--keyring", secring.toString()).assertOk();
        assertTrue(oci.out().contains("with its provenance") && oci.out().contains("--verify"), oci.out());
        Path folder = work.resolve("repo");
        Castle.run("publish", chart.toString(), folder.toString(), "--sign", "--key", "Castle Test", "--keyring", secring.toString())
                .assertOk();
        assertTrue(Files.exists(folder.resolve("shop-0.1.0.tgz.prov")), "the provenance next to the archive");

        // A signed archive is published with the .prov beside it.
        Path dist = work.resolve("dist");
        Castle.run("package", chart.toString(), "-d", dist.toString(), "--version", "0.2.0", "--sign", "--key", "Castle Test",
                "--keyring", secring.toString()).assertOk();
        Castle.run("publish", dist.resolve("shop-0.2.0.tgz").toString(), repo, "--plain-http").assertOk();
        Castle.Result stale = Castle.run("publish", dist.resolve("shop-0.2.0.tgz").toString(), repo, "--plain-http", "--version", "0.3.0")
                .assertRefused();
        assertTrue(stale.err().contains("sign it again"), stale.err());

        try (StaticServer server = StaticServer.serve(folder)) {
            for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
                for (String version : List.of("0.1.0", "0.2.0")) {
                    Path pulled = Files.createDirectories(work.resolve("pulled-" + helm.getParent().getFileName() + version));
                    Tools.run(work, helm.toString(), "pull", repo + "/shop", "--version", version, "--plain-http", "--verify",
                            "--keyring", pubring.toString(), "-d", pulled.toString()).assertOk();
                    assertTrue(Files.exists(pulled.resolve("shop-" + version + ".tgz.prov")), "the provenance layer came along");
                }
                String name = "signed-" + helm.getParent().getFileName();
                Tools.run(work, helm.toString(), "repo", "add", name, server.url()).assertOk();
                Tools.run(work, helm.toString(), "template", "shop", name + "/shop", "--version", "0.1.0", "--verify", "--keyring",
                        pubring.toString()).assertOk();
            }
            Tools.run(work, Tools.helm4().toString(), "install", "shop", repo + "/shop", "--version", "0.1.0", "--plain-http",
                    "--verify", "--keyring", pubring.toString(), "--dry-run=client", "--namespace", "shop").assertOk();
        }
    }

    @Test
    void keysAndPassphrases(@TempDir Path work) throws Exception {
        Path chart = HostileInputTest.smallChart(work.resolve("tiny"));
        Path passphrase = Files.writeString(work.resolve("passphrase"), "open sesame\n");
        Castle.run("package", chart.toString(), "-d", work.resolve("ok").toString(), "--sign", "--key", "Protected Key", "--keyring",
                protectedRing.toString(), "--passphrase-file", passphrase.toString()).assertOk();
        Tools.run(work, Tools.helm4().toString(), "verify", work.resolve("ok/tiny-1.0.0.tgz").toString(), "--keyring",
                pubring.toString()).assertOk();

        Map<List<String>, String> refused = Map.of(
                List.of("--sign", "--key", "Protected Key", "--keyring", protectedRing.toString(), "--passphrase-file",
                        Files.writeString(work.resolve("wrong"), "wrong\n").toString()), "wrong passphrase",
                List.of("--sign", "--key", "Nobody", "--keyring", secring.toString()), "has no secret key for \"Nobody\"",
                List.of("--sign", "--key", "Castle Test", "--keyring", pubring.toString()), "is not a keyring of secret keys",
                List.of("--sign", "--key", "Castle Test", "--keyring", work.resolve("none.gpg").toString()), "cannot read the keyring",
                List.of("--sign", "--key", "Castle Test"), "--sign needs --key NAME and --keyring FILE",
                List.of("--key", "Castle Test", "--keyring", secring.toString()), "add --sign");
        for (Map.Entry<List<String>, String> r : refused.entrySet()) {
            List<String> args = new java.util.ArrayList<>(List.of("package", chart.toString(), "-d", work.resolve("no").toString()));
            args.addAll(r.getKey());
            Castle.Result result = Castle.process(work, Map.of(), args.toArray(String[]::new)).assertRefused();
            assertTrue(result.err().contains(r.getValue()), r.getValue() + ": " + result.err());
            assertFalse(Files.exists(work.resolve("no")), "nothing written");
        }
    }

    private static void gpg(Path home, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("gpg", "--batch", "--homedir", home.toString()));
        command.addAll(List.of(args));
        Tools.run(home, command).assertOk();
    }

    private static byte[] gpgBytes(Path home, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("gpg", "--batch", "--homedir", home.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertEquals(0, process.waitFor(), "gpg " + String.join(" ", args));
        return out;
    }
}
