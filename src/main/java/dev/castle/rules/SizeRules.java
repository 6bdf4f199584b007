package dev.castle.rules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * Sizes Kubernetes and Linux hold: the annotations of one object at most 256 KiB (keys and values,
 * castle's own included); each variable ({@code NAME=value}) and each argument of a container at
 * most 128 KiB (Linux's {@code MAX_ARG_STRLEN}: the process would not start); and what the
 * descriptor writes into one pod template at most 1 MiB (the Deployment and its ReplicaSets hold
 * it, and etcd stores at most 1.5 MiB per object). ConfigMaps are ConfigRules'.
 */
final class SizeRules {
    /** Kubernetes' {@code TotalAnnotationSizeLimitB}. */
    static final int ANNOTATIONS = 256 * 1024;
    /** What castle keeps of an object's annotations for its own (checksums, hook and canary settings). */
    static final int CASTLE_ANNOTATIONS = 4 * 1024;
    /** Linux's {@code MAX_ARG_STRLEN} (32 pages), the terminating NUL included. */
    static final int ARGUMENT = 128 * 1024;
    static final int POD_TEXT = 1024 * 1024;

    static final List<Rule.OfService> SERVICE = List.of(SizeRules::annotationsFit, SizeRules::argumentsFit, SizeRules::podTemplateFits);

    private SizeRules() {
    }

    static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static int bytes(Map<String, String> map) {
        return map.entrySet().stream().mapToInt(e -> bytes(e.getKey()) + bytes(e.getValue())).sum();
    }

    /** The user's annotation maps of a service, by relative pointer. */
    private static Map<String, Map<String, String>> annotations(Service s) {
        Map<String, Map<String, String>> maps = new LinkedHashMap<>();
        maps.put("podAnnotations", s.pod().annotations());
        maps.put("service/annotations", s.network().service().annotations());
        maps.put("serviceAccount/annotations", s.pod().serviceAccount().annotations());
        s.operations().expose().ifPresent(e -> maps.put("expose/annotations", e.annotations()));
        return maps;
    }

    static void annotationsFit(Service s, SystemModel system, Findings out) {
        annotations(s).forEach((at, map) -> {
            int size = bytes(map);
            if (size > ANNOTATIONS - CASTLE_ANNOTATIONS && s.declared().has(at)) {
                out.error(s.declared().at(at), "the annotations take " + size + " bytes, and Kubernetes holds at most " + ANNOTATIONS
                        + " bytes of annotations per object, castle's own included", "at most " + (ANNOTATIONS - CASTLE_ANNOTATIONS)
                        + " bytes of keys and values (castle keeps " + CASTLE_ANNOTATIONS + " for its own); large data belong in config.files");
            }
        });
    }

    static void argumentsFit(Service s, SystemModel system, Findings out) {
        for (Service.EnvVar env : s.container().env()) {
            if (env instanceof Service.Literal literal && bytes(literal.name()) + 1 + bytes(literal.value()) + 1 > ARGUMENT) {
                out.error(s.declared().at("env/" + dev.castle.load.Node.escapePointerToken(literal.name())), "the variable " + literal.name()
                        + " takes " + (bytes(literal.name()) + 1 + bytes(literal.value())) + " bytes, and Linux starts no process with a"
                        + " variable or an argument over " + (ARGUMENT - 1) + " bytes", "a shorter value; large data belong in config.files"
                        + " (a file in the container)");
            }
        }
        for (String key : List.of("command", "args")) {
            List<String> items = key.equals("command") ? s.container().command() : s.container().args();
            for (int i = 0; i < items.size(); i++) {
                if (bytes(items.get(i)) + 1 > ARGUMENT) {
                    out.error(s.declared().at(key + "/" + i), "this argument takes " + bytes(items.get(i)) + " bytes, and Linux starts no"
                            + " process with a variable or an argument over " + (ARGUMENT - 1) + " bytes",
                            "a shorter argument; large data belong in config.files (a file in the container)");
                }
            }
        }
    }

    static void podTemplateFits(Service s, SystemModel system, Findings out) {
        List<String> texts = new ArrayList<>();
        s.container().env().stream().filter(Service.Literal.class::isInstance).map(Service.Literal.class::cast)
                .forEach(l -> texts.add(l.name() + l.value()));
        texts.addAll(s.container().command());
        texts.addAll(s.container().args());
        int size = texts.stream().mapToInt(SizeRules::bytes).sum() + bytes(s.pod().annotations()) + bytes(s.pod().labels());
        if (size > POD_TEXT) {
            out.errorAtKey(s.declared().pointer(), "the variables, arguments, annotations and labels of service '" + s.name() + "' take " + size
                    + " bytes of its pod template, which its Deployment and ReplicaSets each hold (etcd stores at most 1.5 MiB per object)",
                    "at most " + POD_TEXT + " bytes; large data belong in config.files (a ConfigMap, mounted as files)");
        }
    }
}
