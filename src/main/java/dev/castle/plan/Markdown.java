package dev.castle.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.castle.text.Json;

/** Text for README files: user text escaped for Markdown, parameter tables from chart values. */
final class Markdown {
    private Markdown() {
    }

    /** Escapes characters that Markdown or HTML would interpret. */
    static String text(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '#' -> out.append('\\').append(c);
                case '\n', '\r' -> out.append(' ');
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A value shown in a table cell as inline code: JSON, with pipes escaped. */
    static String code(Object value) {
        String json = Json.dump(value).strip().replace("\n", " ").replaceAll("\\s+", " ");
        if (json.length() > 120) {
            json = json.substring(0, 117) + "...";
        }
        return "`" + json.replace("`", "'").replace("|", "\\|") + "`";
    }

    /** Sections of rows {name, description, value}, all already escaped for a Markdown table. */
    static List<Map<String, Object>> parameterSections(ChartValues values) {
        List<Map<String, Object>> sections = new ArrayList<>();
        for (ChartValues.Section section : values.sections()) {
            List<Map<String, String>> rows = new ArrayList<>();
            for (String key : section.keys()) {
                for (ChartValues.Param param : values.paramsUnder(key)) {
                    Map<String, String> row = new LinkedHashMap<>();
                    row.put("name", "`" + param.path() + "`");
                    row.put("description", text(param.description()));
                    row.put("value", code(param.value()));
                    rows.add(row);
                }
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("title", section.title());
            s.put("rows", rows);
            sections.add(s);
        }
        return sections;
    }
}
