package dev.castle.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import dev.castle.imports.DescriptorText;
import dev.castle.load.Diagnostic;
import dev.castle.load.InvalidInputException;
import dev.castle.model.SystemModel;
import dev.castle.schema.SchemaCheck;

/**
 * Writes a descriptor castle made (init, import): checked by the whole pipeline first (a made
 * descriptor that castle itself refuses is castle's bug, exit 1), never over an existing file
 * unless asked, and with castle's schema beside it for the editor line at its top.
 */
final class DescriptorOutput {
    private DescriptorOutput() {
    }

    /** Checks and writes; returns the model of what was written. {@code "-"} writes to standard output. */
    static SystemModel write(Path target, String text, boolean force, PrintWriter out) throws IOException {
        boolean stdout = target.toString().equals("-");
        Path where = stdout ? Path.of("castle.yaml") : target;
        if (!stdout && Files.exists(where) && !force) {
            throw new ExitCodes.UserError(where + " exists: castle does not overwrite it (choose another file with -o, or --force)");
        }
        if (!stdout && Files.exists(where) && !Files.isRegularFile(where)) {
            throw new ExitCodes.UserError(where + " exists and is not a file");
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        SystemModel model;
        try {
            model = Pipeline.model(where.toAbsolutePath(), bytes);
        } catch (InvalidInputException e) {
            StringBuilder message = new StringBuilder("the descriptor castle made does not pass castle's own checks:");
            for (Diagnostic d : e.diagnostics()) {
                message.append("\n  ").append(d.format());
            }
            throw new IllegalStateException(message.toString());
        }
        if (stdout) {
            out.print(text);
            out.flush();
            return model;
        }
        Path folder = Optional.ofNullable(where.toAbsolutePath().getParent()).orElse(Path.of("."));
        Files.createDirectories(folder);
        Path temporary = Files.createTempFile(folder, ".castle-", ".yaml.tmp");
        try {
            Files.write(temporary, bytes);
            Files.move(temporary, where, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
        writeSchema(folder);
        return model;
    }

    /** castle.schema.json beside the descriptor, for {@code # yaml-language-server: $schema=castle.schema.json}; an existing one is refreshed only if castle wrote it. */
    static void writeSchema(Path folder) throws IOException {
        Path schema = folder.resolve(DescriptorText.SCHEMA_FILE);
        String text = new SchemaCheck().schemaText();
        if (!text.endsWith("\n")) {
            text += "\n";
        }
        if (Files.exists(schema)) {
            String existing = Files.readString(schema);
            if (existing.equals(text) || !existing.contains("castle/v1alpha1")) {
                return;
            }
        }
        Files.writeString(schema, text);
    }
}
