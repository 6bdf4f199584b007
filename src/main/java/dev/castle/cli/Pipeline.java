package dev.castle.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import java.util.List;

import dev.castle.kustomize.KustomizeRenderer;
import dev.castle.load.DescriptorLoader;
import dev.castle.load.InvalidInputException;
import dev.castle.load.Node;
import dev.castle.model.ModelBinder;
import dev.castle.model.SystemModel;
import dev.castle.plan.OutputPlan;
import dev.castle.plan.Planner;
import dev.castle.render.Renderer;
import dev.castle.render.TemplateEngine;
import dev.castle.validate.DescriptorValidator;

/** load -> validate -> bind -> plan -> render, in memory. Writing is left to the caller. */
public final class Pipeline {
    private Pipeline() {
    }

    public static SystemModel model(Path descriptor) throws InvalidInputException {
        return model(descriptor, new DescriptorLoader().load(descriptor));
    }

    /** The model of a descriptor not on disk (yet): {@code descriptor} names it and its folder in messages. */
    public static SystemModel model(Path descriptor, byte[] bytes) throws InvalidInputException {
        return model(descriptor, new DescriptorLoader().load(descriptor, bytes));
    }

    private static SystemModel model(Path descriptor, Node root) throws InvalidInputException {
        Path baseDir = Optional.ofNullable(descriptor.toAbsolutePath().getParent()).orElse(Path.of("."));
        new DescriptorValidator().validate(root, baseDir);
        return new ModelBinder(baseDir).bind(root);
    }

    public record Result(SystemModel model, OutputPlan plan, Map<String, byte[]> files) {
    }

    public static Result generate(Path descriptor, Optional<Path> templates) throws InvalidInputException, IOException {
        return generate(descriptor, templates, true);
    }

    /** With {@code kustomize} false, only the charts: faster, and no use of the embedded Helm engine. */
    public static Result generate(Path descriptor, Optional<Path> templates, boolean kustomize)
            throws InvalidInputException, IOException {
        SystemModel model = model(descriptor);
        OutputPlan plan = new Planner().plan(model);
        Map<String, byte[]> files = new java.util.TreeMap<>(new Renderer(new TemplateEngine(templates)).render(plan));
        List<String> roots = new java.util.ArrayList<>(plan.roots());
        if (kustomize) {
            files.putAll(new KustomizeRenderer().render(model, files));
            roots.add("kustomize/" + model.metadata().name());
        }
        return new Result(model, new OutputPlan(roots, plan.files()), files);
    }
}
