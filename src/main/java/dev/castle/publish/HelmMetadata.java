package dev.castle.publish;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A chart's {@code Chart.yaml} as Helm holds it (Helm's {@code chart.Metadata}): read with Helm's
 * conversions (a YAML number or boolean in a text field becomes text, unknown keys are dropped),
 * sanitized as Helm's loader does (white space becomes a space, unprintable characters go), and
 * written back as {@code helm package} writes it.
 */
record HelmMetadata(String name, String home, List<String> sources, String version, String description,
        List<String> keywords, List<Maintainer> maintainers, String icon, String apiVersion, String condition,
        String tags, String appVersion, boolean deprecated, Map<String, String> annotations, String kubeVersion,
        List<Dependency> dependencies, String type) {

    static final String API_V1 = "v1";
    static final String API_V2 = "v2";
    private static final Pattern ALIAS = Pattern.compile("[a-zA-Z0-9_-]+");

    HelmMetadata {
        sources = List.copyOf(sources);
        keywords = List.copyOf(keywords);
        maintainers = List.copyOf(maintainers);
        annotations = java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
        dependencies = List.copyOf(dependencies);
    }

    /** A chart maintainer. */
    record Maintainer(String name, String email, String url) {
        Map<String, Object> tree() {
            Map<String, Object> m = new LinkedHashMap<>();
            putString(m, "name", name);
            putString(m, "email", email);
            putString(m, "url", url);
            return m;
        }
    }

    /** An entry of {@code dependencies} in Chart.yaml, or of a Chart.lock. */
    record Dependency(String name, String version, String repository, String condition, List<String> tags,
            boolean enabled, List<Object> importValues, String alias) {
        Dependency {
            tags = List.copyOf(tags);
            importValues = java.util.Collections.unmodifiableList(new ArrayList<>(importValues));
        }

        /** Only the name, repository and version, as a Chart.lock lists a dependency. */
        static Dependency locked(String name, String repository, String version) {
            return new Dependency(name, version, repository, "", List.of(), false, List.of(), "");
        }

        /** Whether the chart comes from a repository rather than from a folder of the chart. */
        boolean remote() {
            return !repository.isEmpty() && !repository.startsWith("file://");
        }

        Map<String, Object> tree() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            putString(m, "version", version);
            m.put("repository", repository);
            putString(m, "condition", condition);
            if (!tags.isEmpty()) {
                m.put("tags", tags);
            }
            if (enabled) {
                m.put("enabled", true);
            }
            if (!importValues.isEmpty()) {
                m.put("import-values", importValues);
            }
            putString(m, "alias", alias);
            return m;
        }

        static Dependency from(Object value, String where) throws PublishException {
            if (!(value instanceof Map<?, ?> map)) {
                throw new PublishException(where + ": dependencies must not contain empty or null nodes");
            }
            List<Object> imports = new ArrayList<>();
            Object rawImports = map.get("import-values");
            if (rawImports instanceof List<?> list) {
                imports.addAll(list);
            } else if (rawImports != null) {
                throw new PublishException(where + ": import-values of a dependency must be a list");
            }
            return new Dependency(sanitize(string(map, "name", where)), sanitize(string(map, "version", where)),
                    sanitize(string(map, "repository", where)), sanitize(string(map, "condition", where)),
                    strings(map, "tags", where).stream().map(HelmMetadata::sanitize).toList(),
                    bool(map, "enabled", where), imports, string(map, "alias", where));
        }
    }

    /** Reads Chart.yaml text as Helm's loader does. */
    static HelmMetadata parse(String yaml, String where) throws PublishException {
        Map<String, Object> map = GoYamlReader.readMap(yaml, where);
        List<Maintainer> maintainers = new ArrayList<>();
        for (Object m : list(map, "maintainers", where)) {
            if (!(m instanceof Map<?, ?> mm)) {
                throw new PublishException(where + ": maintainers must not contain empty or null nodes");
            }
            maintainers.add(new Maintainer(sanitize(string(mm, "name", where)), sanitize(string(mm, "email", where)),
                    sanitize(string(mm, "url", where))));
        }
        List<Dependency> dependencies = new ArrayList<>();
        for (Object d : list(map, "dependencies", where)) {
            dependencies.add(Dependency.from(d, where));
        }
        Map<String, String> annotations = new TreeMap<>();
        Object rawAnnotations = map.get("annotations");
        if (rawAnnotations instanceof Map<?, ?> am) {
            for (Map.Entry<?, ?> e : am.entrySet()) {
                annotations.put(String.valueOf(e.getKey()), scalarText(e.getValue(), where + ": annotations." + e.getKey()));
            }
        } else if (rawAnnotations != null) {
            throw new PublishException(where + ": annotations must be a map of strings");
        }
        String apiVersion = string(map, "apiVersion", where);
        return new HelmMetadata(sanitize(string(map, "name", where)), sanitize(string(map, "home", where)),
                strings(map, "sources", where).stream().map(HelmMetadata::sanitize).toList(),
                string(map, "version", where), sanitize(string(map, "description", where)),
                strings(map, "keywords", where).stream().map(HelmMetadata::sanitize).toList(), maintainers,
                sanitize(string(map, "icon", where)), apiVersion.isEmpty() ? API_V1 : apiVersion,
                sanitize(string(map, "condition", where)), sanitize(string(map, "tags", where)),
                sanitize(string(map, "appVersion", where)), bool(map, "deprecated", where), annotations,
                sanitize(string(map, "kubeVersion", where)), dependencies, string(map, "type", where));
    }

    /** Helm's checks of the metadata (chart.Metadata.Validate). */
    void validate(String where) throws PublishException {
        if (apiVersion.isEmpty()) {
            throw new PublishException(where + ": apiVersion is required");
        }
        if (name.isEmpty()) {
            throw new PublishException(where + ": name is required");
        }
        if (name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\\")) {
            throw new PublishException(where + ": name \"" + name + "\" is not allowed");
        }
        if (version.isEmpty()) {
            throw new PublishException(where + ": version is required");
        }
        if (SemVer.parse(version).isEmpty()) {
            throw new PublishException(where + ": version \"" + version + "\" is not a semantic version");
        }
        if (!type.isEmpty() && !type.equals("application") && !type.equals("library")) {
            throw new PublishException(where + ": type must be application or library");
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Dependency d : dependencies) {
            if (!d.alias().isEmpty() && !ALIAS.matcher(d.alias()).matches()) {
                throw new PublishException(where + ": dependency \"" + d.name() + "\" has disallowed characters in the alias");
            }
            String key = d.alias().isEmpty() ? d.name() : d.alias();
            if (!seen.add(key)) {
                throw new PublishException(where + ": more than one dependency with name or alias \"" + key + "\"");
            }
        }
    }

    HelmMetadata withVersion(String newVersion) {
        return new HelmMetadata(name, home, sources, newVersion, description, keywords, maintainers, icon, apiVersion,
                condition, tags, appVersion, deprecated, annotations, kubeVersion, dependencies, type);
    }

    HelmMetadata withAppVersion(String newAppVersion) {
        return new HelmMetadata(name, home, sources, version, description, keywords, maintainers, icon, apiVersion,
                condition, tags, newAppVersion, deprecated, annotations, kubeVersion, dependencies, type);
    }

    /** The fields in Helm's JSON order, empty ones left out: the OCI config blob and the index entry. */
    Map<String, Object> tree() {
        Map<String, Object> m = new LinkedHashMap<>();
        putString(m, "name", name);
        putString(m, "home", home);
        if (!sources.isEmpty()) {
            m.put("sources", sources);
        }
        putString(m, "version", version);
        putString(m, "description", description);
        if (!keywords.isEmpty()) {
            m.put("keywords", keywords);
        }
        if (!maintainers.isEmpty()) {
            m.put("maintainers", maintainers.stream().map(Maintainer::tree).toList());
        }
        putString(m, "icon", icon);
        putString(m, "apiVersion", apiVersion);
        putString(m, "condition", condition);
        putString(m, "tags", tags);
        putString(m, "appVersion", appVersion);
        if (deprecated) {
            m.put("deprecated", true);
        }
        if (!annotations.isEmpty()) {
            Map<String, Object> sorted = new TreeMap<>(GoJson.MAP_ORDER);
            sorted.putAll(annotations);
            m.put("annotations", sorted);
        }
        putString(m, "kubeVersion", kubeVersion);
        if (!dependencies.isEmpty()) {
            m.put("dependencies", dependencies.stream().map(Dependency::tree).toList());
        }
        putString(m, "type", type);
        return m;
    }

    /** Chart.yaml as {@code helm package} writes it into the archive. */
    String toChartYaml() {
        Map<String, Object> tree = tree();
        if (API_V1.equals(apiVersion)) {
            tree.remove("dependencies"); // a v1 chart keeps them in requirements.yaml
        }
        return GoYamlWriter.marshal(tree);
    }

    /** The config blob of an OCI chart artifact: the metadata as JSON, as {@code helm push} writes it. */
    String toConfigJson() {
        return GoJson.marshal(tree());
    }

    // ---- Helm's conversions -------------------------------------------------------------------

    /** Helm's sanitizeString: every white space becomes a space, unprintable characters are dropped. */
    static String sanitize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (isGoSpace(c)) {
                out.append(' ');
            } else if (isGoPrint(c)) {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static boolean isGoSpace(int c) {
        return c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r' || c == ' ' || c == 0x85 || c == 0xA0
                || (c > 0xFF && (Character.isSpaceChar(c) || c == 0x2028 || c == 0x2029));
    }

    private static boolean isGoPrint(int c) {
        if (c == ' ') {
            return true;
        }
        switch (Character.getType(c)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
                    Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
                    Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
                    Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                    Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                    Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL:
                return true;
            default:
                return false;
        }
    }

    private static void putString(Map<String, Object> m, String key, String value) {
        if (!value.isEmpty()) {
            m.put(key, value);
        }
    }

    static String string(Map<?, ?> map, String key, String where) throws PublishException {
        return scalarText(map.get(key), where + ": " + key);
    }

    private static String scalarText(Object value, String what) throws PublishException {
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            throw new PublishException(what + " must be a string");
        }
        return GoScalars.asGoString(value);
    }

    private static List<String> strings(Map<?, ?> map, String key, String where) throws PublishException {
        List<String> out = new ArrayList<>();
        for (Object item : list(map, key, where)) {
            out.add(scalarText(item, where + ": " + key));
        }
        return out;
    }

    private static List<?> list(Map<?, ?> map, String key, String where) throws PublishException {
        Object value = map.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new PublishException(where + ": " + key + " must be a list");
        }
        return list;
    }

    private static boolean bool(Map<?, ?> map, String key, String where) throws PublishException {
        Object value = map.get(key);
        if (value == null) {
            return false;
        }
        if (!(value instanceof Boolean b)) {
            throw new PublishException(where + ": " + key + " must be true or false");
        }
        return b;
    }
}
