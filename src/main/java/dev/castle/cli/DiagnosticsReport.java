package dev.castle.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.castle.load.Diagnostic;

/**
 * Prints the problems of a run in the chosen format: text lines for people, a JSON document for
 * machines and editors (its schema is {@code schemas/castle-diagnostics.schema.json}), or GitHub
 * Actions workflow commands that annotate the descriptor in a pull request.
 */
final class DiagnosticsReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DiagnosticsReport() {
    }

    /** Errors first, each group by place. */
    static List<Diagnostic> ordered(List<Diagnostic> diagnostics) {
        List<Diagnostic> sorted = new ArrayList<>(diagnostics);
        sorted.sort(Comparator.comparing((Diagnostic d) -> !d.isError()));
        return sorted;
    }

    /** The problems that stopped the run (and the warnings beside them). */
    static void failed(DiagnosticsOptions.Format format, Path file, List<Diagnostic> diagnostics, PrintWriter out, PrintWriter err) {
        List<Diagnostic> sorted = ordered(diagnostics);
        switch (format) {
            case json -> out.println(json(file, sorted, null));
            case github -> {
                github(sorted, out);
                text(sorted, err);
            }
            default -> text(sorted, err);
        }
        out.flush();
        err.flush();
    }

    /** The warnings of a run that went through, in the chosen format; for json, with what was checked. */
    static void passed(DiagnosticsOptions.Format format, Path file, List<Diagnostic> warnings, Map<String, Object> summary,
                       PrintWriter out, PrintWriter err) {
        switch (format) {
            case json -> out.println(json(file, warnings, summary));
            case github -> {
                github(warnings, out);
                warnings.forEach(w -> err.println("castle: " + w.format()));
            }
            default -> warnings.forEach(w -> err.println("castle: " + w.format()));
        }
        out.flush();
        err.flush();
    }

    static void text(List<Diagnostic> sorted, PrintWriter err) {
        long errors = sorted.stream().filter(Diagnostic::isError).count();
        long warnings = sorted.size() - errors;
        err.println("castle: the descriptor has " + errors + (errors == 1 ? " problem" : " problems")
                + (warnings == 0 ? "" : " and " + warnings + (warnings == 1 ? " warning" : " warnings")) + ":");
        for (Diagnostic d : sorted) {
            err.println("  " + d.format());
        }
        err.println("Nothing was written.");
    }

    static String json(Path file, List<Diagnostic> diagnostics, Map<String, Object> summary) {
        Map<String, Object> document = new LinkedHashMap<>();
        long errors = diagnostics.stream().filter(Diagnostic::isError).count();
        document.put("file", file == null ? "" : file.toString());
        document.put("valid", errors == 0);
        document.put("errors", errors);
        document.put("warnings", diagnostics.size() - errors);
        List<Map<String, Object>> problems = new ArrayList<>();
        for (Diagnostic d : diagnostics) {
            Map<String, Object> problem = new LinkedHashMap<>();
            problem.put("severity", d.severity().name());
            problem.put("file", d.position().file().toString());
            problem.put("line", d.position().line());
            problem.put("column", d.position().column());
            problem.put("pointer", d.pointer());
            problem.put("message", d.problem());
            problem.put("allowed", d.allowed());
            d.suggestion().ifPresent(s -> problem.put("suggestion", s));
            problems.add(problem);
        }
        document.put("problems", problems);
        if (summary != null) {
            document.putAll(summary);
        }
        try {
            return JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code ::error file=F,line=L,col=C,title=castle /pointer::message (allowed)}, escaped as GitHub documents. */
    static void github(List<Diagnostic> diagnostics, PrintWriter out) {
        for (Diagnostic d : diagnostics) {
            String hint = d.suggestion().map(s -> "did you mean '" + s + "'? ").orElse("") + d.allowed();
            out.println("::" + d.severity().name() + " file=" + property(d.position().file().toString()) + ",line=" + d.position().line()
                    + ",col=" + d.position().column() + ",title=" + property("castle " + d.pointer()) + "::"
                    + data(d.problem() + (hint.isBlank() ? "" : " (" + hint.strip() + ")")));
        }
    }

    private static String data(String text) {
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static String property(String text) {
        return data(text).replace(":", "%3A").replace(",", "%2C");
    }
}
