package dev.castle.render;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import freemarker.cache.ClassTemplateLoader;
import freemarker.cache.FileTemplateLoader;
import freemarker.cache.MultiTemplateLoader;
import freemarker.cache.TemplateLoader;
import freemarker.core.PlainTextOutputFormat;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;

/**
 * FreeMarker with square-bracket syntax ({@code [#if]}, {@code [=x]}), so that Go-template
 * braces and shell {@code ${}} pass through untouched. Templates come from the jar's
 * {@code templates/} folder; a user folder given with {@code --templates} overrides any of them by
 * relative path.
 */
public final class TemplateEngine {
    private final Configuration configuration;

    public TemplateEngine(Optional<Path> overrides) throws IOException {
        configuration = new Configuration(Configuration.VERSION_2_3_34);
        List<TemplateLoader> loaders = new ArrayList<>();
        if (overrides.isPresent()) {
            loaders.add(new FileTemplateLoader(overrides.get().toFile()));
        }
        loaders.add(new ClassTemplateLoader(TemplateEngine.class, "/templates"));
        configuration.setTemplateLoader(new MultiTemplateLoader(loaders.toArray(TemplateLoader[]::new)));
        configuration.setTagSyntax(Configuration.SQUARE_BRACKET_TAG_SYNTAX);
        configuration.setInterpolationSyntax(Configuration.SQUARE_BRACKET_INTERPOLATION_SYNTAX);
        configuration.setOutputFormat(PlainTextOutputFormat.INSTANCE);
        configuration.setDefaultEncoding("UTF-8");
        configuration.setNumberFormat("computer");
        configuration.setBooleanFormat("c");
        configuration.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        configuration.setLogTemplateExceptions(false);
        configuration.setWrapUncheckedExceptions(true);
        configuration.setFallbackOnNullLoopVariable(false);
        configuration.setLocalizedLookup(false);
    }

    public String render(String name, Map<String, Object> data) {
        try {
            Template template = configuration.getTemplate(name);
            StringWriter out = new StringWriter();
            template.process(data, out);
            return out.toString();
        } catch (IOException | TemplateException e) {
            throw new TemplateFailure(name, e);
        }
    }

    /** A file of the template folder as it is, not processed (the library chart's Go templates). */
    public String text(String name) {
        try {
            return configuration.getTemplate(name, null, null, false).toString();
        } catch (IOException e) {
            throw new TemplateFailure(name, e);
        }
    }

    /**
     * The relative paths of castle's own templates (those {@code --templates} may override), read
     * from the jar or, in a build, from the classes folder.
     */
    public static java.util.SortedSet<String> builtInNames() throws IOException {
        java.util.SortedSet<String> names = new java.util.TreeSet<>();
        java.net.URL root = TemplateEngine.class.getResource("/templates");
        if (root == null) {
            return names;
        }
        try {
            java.net.URI uri = root.toURI();
            if (uri.getScheme().equals("jar")) {
                try (java.nio.file.FileSystem jar = java.nio.file.FileSystems.newFileSystem(uri, Map.of())) {
                    collect(jar.getPath("/templates"), names);
                }
            } else {
                collect(Path.of(uri), names);
            }
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        return names;
    }

    private static void collect(Path root, java.util.Set<String> names) throws IOException {
        try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(root)) {
            walk.filter(java.nio.file.Files::isRegularFile).forEach(p -> names.add(root.relativize(p).toString().replace('\\', '/')));
        }
    }

    /** A template that is missing or fails: a problem of the template set, reported with its name. */
    public static final class TemplateFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TemplateFailure(String name, Exception cause) {
            super("template " + name + ": " + cause.getMessage(), cause);
        }
    }
}
