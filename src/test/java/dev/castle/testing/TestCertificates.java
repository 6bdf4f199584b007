package dev.castle.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A throwaway certificate authority made by openssl, and a server certificate it signed for
 * 127.0.0.1: for the tests that serve TLS on loopback (a registry, a Kubernetes API).
 *
 * @param ca   the authority's certificate (PEM), what clients trust
 * @param cert the server's certificate (PEM)
 * @param key  the server's private key (PEM, unencrypted)
 */
public record TestCertificates(Path ca, Path cert, Path key) {

    /** Makes the authority and the server certificate in {@code dir}, named {@code <name>.pem} and {@code <name>.key}. */
    public static TestCertificates make(Path dir, String name) {
        Path ca = dir.resolve("ca.pem");
        Path caKey = dir.resolve("ca.key");
        Path cert = dir.resolve(name + ".pem");
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=castle test CA",
                "-keyout", caKey.toString(), "-out", ca.toString());
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", key.toString(), "-out", csr.toString());
        try {
            Path ext = Files.writeString(dir.resolve(name + "-ext.cnf"), "subjectAltName=IP:127.0.0.1\n");
            openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(), "-CAcreateserial",
                    "-days", "2", "-extfile", ext.toString(), "-out", cert.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TestCertificates(ca, cert, key);
    }

    /** The server's key and certificate as a PKCS#12 store with this password, for Java's TLS servers. */
    public Path pkcs12(String password) {
        Path store = cert.resolveSibling(cert.getFileName().toString().replace(".pem", ".p12"));
        openssl(cert.getParent(), "pkcs12", "-export", "-in", cert.toString(), "-inkey", key.toString(), "-out", store.toString(),
                "-passout", "pass:" + password);
        return store;
    }

    private static void openssl(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Tools.run(dir, command).assertOk();
    }
}
