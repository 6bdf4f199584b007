package dev.castle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code castle generate --gitops-repository URL --gitops-revision REV}: the GitOps manifests are
 * written to DIR/gitops/<system>/ in the same write as the chart and recorded with it (a hand edit
 * there is refused like one in the chart); wrong options exit 2 and write nothing. Charts only
 * (--no-kustomize), so no Helm engine runs.
 */
class GitOpsCliTest {
    private static final String DESCRIPTOR = """
            apiVersion: castle/v1alpha1
            kind: System
            metadata: {name: tiny, version: 0.3.0}
            services:
              web:
                image: ghcr.io/acme/web:1.0.0
                ports: {http: 8080}
            environments:
              prod: {namespace: tiny}
            """;

    @TempDir
    Path tmp;

    private Path descriptor(String yaml) throws IOException {
        return Files.writeString(tmp.resolve("castle.yaml"), yaml);
    }

    private CastleRun.Result generate(Path descriptor, Path out, String... options) {
        String[] args = new String[5 + options.length];
        args[0] = "generate";
        args[1] = descriptor.toString();
        args[2] = "-o";
        args[3] = out.toString();
        args[4] = "--no-kustomize";
        System.arraycopy(options, 0, args, 5, options.length);
        return CastleRun.run(args);
    }

    @Test
    void theCommandLineAsksForTheManifestsAndTheyAreRecordedWithTheChart() throws IOException {
        Path out = tmp.resolve("out");
        Path descriptor = descriptor(DESCRIPTOR);
        CastleRun.Result result = generate(descriptor, out, "--gitops-repository", "https://git.example.com/acme/deploy.git",
                "--gitops-revision", "release-1");
        assertEquals(0, result.status(), result::toString);
        Path app = out.resolve("gitops/tiny/argocd/applications/tiny-prod.yaml");
        String text = Files.readString(app);
        assertTrue(text.contains("repoURL: https://git.example.com/acme/deploy.git"), text);
        assertTrue(text.contains("targetRevision: release-1"), text);
        assertTrue(result.out().contains("gitops/tiny/argocd/applicationset.yaml"), result::toString);
        String record = Files.readString(out.resolve(".castle/tiny.sha256"));
        assertTrue(record.contains("  gitops/tiny/argocd/applications/tiny-prod.yaml\n"), "recorded with the chart:\n" + record);
        assertTrue(record.contains("  tiny/Chart.yaml\n"), record);

        CastleRun.Result again = generate(descriptor, out, "--gitops-repository", "https://git.example.com/acme/deploy.git",
                "--gitops-revision", "release-1");
        assertTrue(again.out().contains("up to date"), again::toString);

        Files.writeString(app, text.replace("release-1", "main"));
        CastleRun.Result edited = generate(descriptor, out, "--gitops-repository", "https://git.example.com/acme/deploy.git",
                "--gitops-revision", "release-1");
        assertEquals(2, edited.status(), edited::toString);
        assertTrue(edited.err().contains("gitops/tiny/argocd/applications/tiny-prod.yaml"), edited::toString);
    }

    @Test
    void theDescriptorSaysItAndTheCommandLineWins() throws IOException {
        Path out = tmp.resolve("out");
        Path descriptor = descriptor(DESCRIPTOR + "gitops: {repository: \"https://git.example.com/a.git\", revision: v1}\n");
        assertEquals(0, generate(descriptor, out).status());
        assertTrue(Files.readString(out.resolve("gitops/tiny/flux/kustomize/tiny-prod/gitrepository.yaml")).contains("branch: v1"));
        assertEquals(0, generate(descriptor, out, "--gitops-revision", "0123456789abcdef0123456789abcdef01234567").status());
        String source = Files.readString(out.resolve("gitops/tiny/flux/kustomize/tiny-prod/gitrepository.yaml"));
        assertTrue(source.contains("commit: 0123456789abcdef0123456789abcdef01234567"), source);
        assertTrue(source.contains("url: https://git.example.com/a.git"), source);
    }

    @Test
    void wrongOptionsExitTwoAndWriteNothing() throws IOException {
        Path out = tmp.resolve("out");
        Path descriptor = descriptor(DESCRIPTOR);
        for (String[] bad : new String[][] {
                {"--gitops-repository", "ftp://example.com/repo"},
                {"--gitops-repository", "https://example.com/{{.x}}"},
                {"--gitops-revision", "main branch"},
                {"--gitops-revision", "main"}}) {
            CastleRun.Result result = generate(descriptor, out, bad);
            assertEquals(2, result.status(), () -> String.join(" ", bad) + "\n" + result);
            assertTrue(result.err().contains(bad[0]), result::toString);
            CastleRun.assertNoStackTrace(result);
            assertFalse(Files.exists(out), "nothing written for " + String.join(" ", bad));
        }
        Path gitops = descriptor(DESCRIPTOR.replace("name: tiny", "name: gitops"));
        CastleRun.Result result = generate(gitops, out, "--gitops-repository", "https://git.example.com/a.git");
        assertEquals(2, result.status(), result::toString);
        assertTrue(result.err().contains("a system named 'gitops'"), result::toString);
        assertFalse(Files.exists(out));
    }
}
