package dev.castle.imports;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A descriptor made from another format, as a tree ready for the YAML emitter, and the findings
 * about what did not map as it was, in source order.
 */
public record ImportResult(String system, Map<String, Object> descriptor, List<Finding> findings, List<String> sources) {
    public ImportResult {
        findings = findings.stream().sorted(Comparator.comparing((Finding f) -> f.position().file().toString())
                .thenComparingInt(f -> f.position().line()).thenComparingInt(f -> f.position().column())
                .thenComparing(Finding::pointer).thenComparing(Finding::message)).distinct().toList();
        sources = List.copyOf(sources);
    }

    /**
     * The descriptor file: a header that says where it came from and lists every finding (the same
     * list the command prints), the line that lets YAML editors check it against castle's schema,
     * then the descriptor. The user owns the file from here on.
     */
    public String text(String command) {
        StringBuilder out = new StringBuilder();
        out.append("# yaml-language-server: $schema=").append(DescriptorText.SCHEMA_FILE).append('\n');
        out.append("# The castle descriptor of ").append(system).append(", made by `").append(command).append("` from:\n");
        sources.forEach(s -> out.append("#   ").append(s).append('\n'));
        out.append("# It is yours now: edit it, then `castle validate`, `castle graph` and `castle generate` it.\n");
        if (findings.isEmpty()) {
            out.append("# Everything in the source was carried over.\n");
        } else {
            out.append("# What did not carry over as it was (").append(findings.size()).append("; also printed by the import):\n");
            for (Finding f : findings) {
                out.append("#   ").append(DescriptorText.commentSafe(f.format())).append('\n');
            }
        }
        return out.append(DescriptorText.body(descriptor)).toString();
    }
}
