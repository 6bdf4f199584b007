package dev.castle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * castle diff as the review step before a regeneration: nothing after a generate, exactly the
 * changed objects after an edit of the descriptor, per environment, and exit 2 for bad input.
 */
@Tag("integration")
class DiffCommandTest {
    @TempDir
    Path tmp;

    private Path copyOfShop() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("shop"));
        Path source = CastleRun.shopExample().getParent();
        try (var files = Files.walk(source)) {
            for (Path p : files.toList()) {
                Path target = dir.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return dir.resolve("castle.yaml");
    }

    @Test
    void showsExactlyTheObjectsAnEditChanges() throws Exception {
        Path descriptor = copyOfShop();
        Path out = tmp.resolve("out");
        assertEquals(0, CastleRun.run("generate", descriptor.toString(), "-o", out.toString(), "--no-kustomize").status());
        CastleRun.Result same = CastleRun.run("diff", descriptor.toString(), "-o", out.toString());
        assertEquals(0, same.status(), same::toString);
        assertTrue(same.out().startsWith("no change: 0 objects changed, 0 added, 0 removed"), same::toString);

        String text = Files.readString(descriptor);
        Files.writeString(descriptor, text.replaceFirst("(?m)^    replicas: 2$", "    replicas: 4"));
        CastleRun.Result changed = CastleRun.run("diff", descriptor.toString(), "-o", out.toString());
        assertEquals(0, changed.status(), changed::toString);
        assertTrue(changed.out().contains("--- " + out.resolve("shop") + ": apps/v1 Deployment shop-api-gateway\n+++ " + descriptor
                + ": apps/v1 Deployment shop-api-gateway\n"), changed::toString);
        assertTrue(changed.out().contains("-  replicas: 2\n+  replicas: 4\n"), changed::toString);
        assertTrue(changed.out().contains("2 objects changed, 0 added, 0 removed"), "the Deployment and the quota:\n" + changed);
        CastleRun.Result prod = CastleRun.run("diff", descriptor.toString(), "-o", out.toString(), "--env", "prod");
        assertEquals(0, prod.status(), prod::toString);
        assertTrue(prod.out().contains("(environment prod)"), prod::toString);
        CastleRun.Result dryRun = CastleRun.run("generate", descriptor.toString(), "-o", out.toString(), "--no-kustomize", "--dry-run");
        assertTrue(dryRun.out().contains("castle diff " + descriptor + " -o " + out + " shows what changes"), dryRun::toString);
    }

    @Test
    void generatedCredentialsAreNotAChange() throws Exception {
        Path descriptor = CastleRun.projectDir().resolve("examples/data-platform/castle.yaml");
        Path out = tmp.resolve("out");
        assertEquals(0, CastleRun.run("generate", descriptor.toString(), "-o", out.toString(), "--no-kustomize").status());
        CastleRun.Result result = CastleRun.run("diff", descriptor.toString(), "-o", out.toString());
        assertTrue(result.out().startsWith("no change:"), result::toString);
    }

    @Test
    void withoutAGeneratedChartEveryObjectIsNewAndBadInputExitsTwo() throws Exception {
        CastleRun.Result fresh = CastleRun.run("diff", CastleRun.shopExample().toString(), "-o", tmp.resolve("empty").toString());
        assertEquals(0, fresh.status(), fresh::toString);
        assertTrue(fresh.out().contains("holds no chart yet") && fresh.out().contains("0 removed, 0 unchanged"), fresh::toString);
        CastleRun.Result env = CastleRun.run("diff", CastleRun.shopExample().toString(), "-o", tmp.toString(), "--env", "moon");
        assertEquals(2, env.status(), env::toString);
        Path bad = Files.writeString(tmp.resolve("bad.yaml"), "apiVersion: castle/v1alpha1\nkind: System\nmetadata: {name: x}\n");
        CastleRun.Result invalid = CastleRun.run("diff", bad.toString(), "-o", tmp.toString());
        assertEquals(2, invalid.status(), invalid::toString);
        assertTrue(invalid.err().contains(bad + ":"), invalid::toString);
        CastleRun.assertNoStackTrace(invalid);
    }
}
