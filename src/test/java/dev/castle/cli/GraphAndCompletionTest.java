package dev.castle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.castle.testing.Tools;

/** castle graph in its three formats and per environment, and the completion scripts run by a real bash. */
class GraphAndCompletionTest {
    @TempDir
    Path tmp;

    @Test
    void graphPrintsMermaidDotAndJson() throws Exception {
        String shop = CastleRun.shopExample().toString();
        CastleRun.Result mermaid = CastleRun.run("graph", shop);
        assertEquals(0, mermaid.status(), mermaid::toString);
        assertTrue(mermaid.out().startsWith("flowchart LR\n"), mermaid::toString);
        CastleRun.Result dot = CastleRun.run("graph", shop, "--format", "dot");
        assertTrue(dot.out().startsWith("digraph \"shop\" {"), dot::toString);
        CastleRun.Result json = CastleRun.run("graph", shop, "--format", "json");
        JsonNode graph = new ObjectMapper().readTree(json.out());
        assertEquals("shop", graph.get("system").asText());
        assertTrue(graph.get("edges").size() > 5, json::toString);
        CastleRun.Result prod = CastleRun.run("graph", shop, "--env", "prod");
        assertEquals(0, prod.status(), prod::toString);
    }

    @Test
    void graphUsageErrorsExitTwo() {
        CastleRun.Result env = CastleRun.run("graph", CastleRun.shopExample().toString(), "--env", "moon");
        assertEquals(2, env.status(), env::toString);
        assertTrue(env.err().contains("--env moon: the descriptor has the environments"), env::toString);
        CastleRun.Result format = CastleRun.run("graph", CastleRun.shopExample().toString(), "--format", "png");
        assertEquals(2, format.status(), format::toString);
        CastleRun.Result missing = CastleRun.run("graph", tmp.resolve("none.yaml").toString());
        assertEquals(2, missing.status(), missing::toString);
        assertTrue(missing.err().contains("none.yaml:1:1: /: file not found"), missing::toString);
        CastleRun.assertNoStackTrace(missing);
    }

    @Test
    void bashCompletesCommandsOptionsAndValues() throws Exception {
        CastleRun.Result script = CastleRun.run("completion", "bash");
        assertEquals(0, script.status(), script::toString);
        Path file = Files.writeString(tmp.resolve("castle-completion.bash"), script.out());
        assertEquals(List.of("generate", "graph"), complete(file, "castle", "g"));
        assertEquals(List.of("compose"), complete(file, "castle", "import", "co"));
        assertEquals(List.of("--format"), complete(file, "castle", "graph", "--fo"));
        assertEquals(List.of("dot", "json", "mermaid"), complete(file, "castle", "graph", "--format", ""));
        CastleRun.Result zsh = CastleRun.run("completion", "zsh");
        assertTrue(zsh.out().startsWith("#compdef castle\n") && zsh.out().contains("bashcompinit"), zsh::toString);
        assertEquals(2, CastleRun.run("completion", "fish").status());
    }

    /** What bash offers after the words typed so far (the last one being completed). */
    private List<String> complete(Path script, String... words) {
        String line = String.join(" ", words);
        String array = String.join(" ", java.util.Arrays.stream(words).map(w -> "'" + w + "'").toList());
        String command = "source '" + script + "'; COMP_WORDS=(" + array + "); COMP_CWORD=" + (words.length - 1)
                + "; COMP_LINE='" + line + "'; COMP_POINT=" + line.length() + "; _complete_castle; printf '%s\\n' \"${COMPREPLY[@]}\" | sort";
        Tools.Result result = Tools.run(tmp, "bash", "-c", command).assertOk();
        return result.stdout().lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
