package dev.castle.imports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.castle.load.Diagnostic;
import dev.castle.load.InvalidInputException;
import dev.castle.load.Position;

/**
 * A {@code .env} / {@code env_file} file as Compose reads it: {@code KEY=VALUE} lines, optional
 * {@code export}, {@code #} comments, single-quoted values literal, double-quoted values with
 * {@code \n} escapes, unquoted values up to a {@code " #"} comment. A {@code KEY} alone takes its
 * value from the shell, which an import cannot see: such keys are returned with a null value.
 */
final class EnvFile {
    private EnvFile() {
    }

    /** Keys and values in file order; {@code referencedAt} is where the file is named (for a missing file). */
    static Map<String, String> read(Path file, Position referencedAt) throws InvalidInputException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            Position at = referencedAt != null ? referencedAt : new Position(file, 1, 1);
            throw new InvalidInputException(new Diagnostic(at, "/", "cannot read the env file " + file + ": "
                    + (e instanceof java.nio.file.NoSuchFileException ? "not found" : e.getMessage()), "an existing KEY=VALUE file"));
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring(7).strip();
            }
            int eq = line.indexOf('=');
            String key = (eq < 0 ? line : line.substring(0, eq)).strip();
            if (!key.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
                throw new InvalidInputException(new Diagnostic(new Position(file, i + 1, 1), "/",
                        "not a KEY=VALUE line: " + line, "KEY=VALUE, # comments, or empty lines"));
            }
            values.put(key, eq < 0 ? null : value(line.substring(eq + 1)));
        }
        return values;
    }

    private static String value(String raw) {
        String v = raw.strip();
        if (v.length() >= 2 && v.startsWith("'") && v.endsWith("'")) {
            return v.substring(1, v.length() - 1);
        }
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            return v.substring(1, v.length() - 1).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
        }
        int comment = v.indexOf(" #");
        return comment >= 0 ? v.substring(0, comment).strip() : v;
    }
}
