package dev.castle.imports;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import dev.castle.load.Diagnostic;
import dev.castle.load.InvalidInputException;

/**
 * {@code castle import oam}: a KubeVela / OAM {@code Application} (core.oam.dev/v1beta1) becomes a
 * castle descriptor. Components of type webservice, worker, task and cron-task become services
 * (Deployment, Deployment without ports, Job, CronJob); components running a known datastore image
 * become infrastructure; the traits scaler, cpuscaler, gateway, expose, storage, labels and
 * annotations become their castle fields; {@code dependsOn} and addresses in env become
 * {@code dependsOn} edges; topology and override policies, combined by the workflow's deploy
 * steps, become environments. Everything else (sidecar, init-container, other component types and
 * traits, clusters) is a finding with its position.
 */
public final class OamImporter {
    /** Whether a gateway trait became an Ingress, whose controller's namespace the network policies must name. */
    private boolean exposedByIngress;

    private final List<Finding> findings = new ArrayList<>();
    private final Map<String, SourceNode.Map> components = new LinkedHashMap<>();
    private final Map<String, String> names = new LinkedHashMap<>();
    private final Map<String, Object> outServices = new LinkedHashMap<>();
    private final Map<String, Object> outInfrastructure = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> outEnv = new LinkedHashMap<>();
    private final Map<String, List<Integer>> ports = new LinkedHashMap<>();
    private final List<Wiring.Call> calls = new ArrayList<>();

    private OamImporter() {
    }

    public static ImportResult importFile(Path file, Optional<String> name) throws InvalidInputException {
        SourceNode root = SourceYaml.load(file, "a KubeVela Application (apiVersion: core.oam.dev/v1beta1, kind: Application)");
        List<Diagnostic> problems = new ArrayList<>();
        if (!(root instanceof SourceNode.Map app)) {
            throw new InvalidInputException(new Diagnostic(root.position(), "/", "an Application is a mapping", "apiVersion, kind, metadata, spec"));
        }
        if (!app.text("apiVersion").filter(v -> v.startsWith("core.oam.dev/")).isPresent()) {
            problems.add(new Diagnostic(app.get("apiVersion").map(SourceNode::position).orElse(app.position()), "/apiVersion",
                    "not an OAM resource: apiVersion " + app.text("apiVersion").orElse("(none)"), "core.oam.dev/v1beta1"));
        }
        if (!app.text("kind").filter("Application"::equals).isPresent()) {
            problems.add(new Diagnostic(app.get("kind").map(SourceNode::position).orElse(app.position()), "/kind",
                    "kind " + app.text("kind").orElse("(none)") + " is not an Application", "Application"));
        }
        Optional<SourceNode.Seq> list = app.map("spec").flatMap(s -> s.seq("components"));
        if (list.isEmpty() || list.get().items().isEmpty()) {
            problems.add(new Diagnostic(app.map("spec").map(SourceNode::position).orElse(app.position()), "/spec/components",
                    "an Application needs spec.components", "a list of {name, type, properties, traits}"));
        }
        OamImporter importer = new OamImporter();
        if (list.isPresent()) {
            for (SourceNode item : list.get().items()) {
                if (!(item instanceof SourceNode.Map c) || c.text("name").isEmpty() || c.text("type").isEmpty()) {
                    problems.add(new Diagnostic(item.position(), item.pointer(), "a component needs a name and a type", "{name, type, properties}"));
                    continue;
                }
                if (importer.components.put(c.text("name").get(), c) != null) {
                    problems.add(new Diagnostic(item.position(), item.pointer() + "/name", "component " + c.text("name").get()
                            + " is listed twice", "unique component names"));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        String system = name.orElseGet(() -> Names.dnsLabel(app.map("metadata").flatMap(m -> m.text("name")).orElse("system"), 53));
        Map<String, Object> descriptor = importer.convert(app, system);
        return new ImportResult(system, descriptor, importer.findings, List.of(file.toString()));
    }

    private Map<String, Object> convert(SourceNode.Map app, String system) {
        Set<String> used = new LinkedHashSet<>();
        components.forEach((n, c) -> {
            String castle = Names.dnsLabel(n, 40);
            for (int i = 2; !used.add(castle); i++) {
                castle = Names.dnsLabel(n, 37) + "-" + i;
            }
            names.put(n, castle);
            if (!castle.equals(n)) {
                finding(c, "name", Finding.Kind.changed, "component " + n + " is " + castle + " in castle (a DNS label)");
            }
            ports.put(n, portsOf(c));
        });
        components.forEach(this::component);
        components.forEach((n, c) -> c.seq("dependsOn").ifPresent(deps -> deps.items().forEach(d -> {
            String target = d instanceof SourceNode.Scalar s ? s.text() : "";
            if (!components.containsKey(target)) {
                finding(d, Finding.Kind.unmapped, "depends on " + target + ", which is not a component of this Application");
            } else if (outInfrastructure.containsKey(names.get(target)) || !ports.get(target).isEmpty()) {
                calls.add(new Wiring.Call(names.get(n), names.get(target), true, Optional.empty(), Map.of()));
            } else {
                finding(d, Finding.Kind.unmapped, "depends on " + target + ", which has no port: castle waits only for what accepts connections");
            }
        })));
        outServices.forEach((n, s) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> service = (Map<String, Object>) s;
            List<Object> dependsOn = Wiring.dependsOn(n, calls, outInfrastructure, outEnv.getOrDefault(n, Map.of()).keySet());
            if (!dependsOn.isEmpty()) {
                service.put("dependsOn", dependsOn);
            }
        });
        Map<String, Object> descriptor = new LinkedHashMap<>();
        descriptor.put("apiVersion", "castle/v1alpha1");
        descriptor.put("kind", "System");
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", system);
        metadata.put("version", "0.1.0");
        metadata.put("description", "Imported from the KubeVela Application "
                + app.map("metadata").flatMap(m -> m.text("name")).orElse(system) + " by castle import oam.");
        descriptor.put("metadata", metadata);
        if (!outInfrastructure.isEmpty()) {
            descriptor.put("infrastructure", outInfrastructure);
        }
        descriptor.put("services", outServices);
        if (exposedByIngress) {
            descriptor.put("network", new LinkedHashMap<>(Map.of("ingressNamespace", "ingress-nginx")));
        }
        Map<String, Object> environments = environments(app);
        if (!environments.isEmpty()) {
            descriptor.put("environments", environments);
        }
        app.map("metadata").ifPresent(m -> m.entries().keySet().stream().filter(k -> !k.equals("name"))
                .forEach(k -> finding(m, k, Finding.Kind.unmapped, "metadata." + k + " of the Application has no castle equivalent")));
        return descriptor;
    }

    private List<Integer> portsOf(SourceNode.Map c) {
        List<Integer> list = new ArrayList<>();
        Optional<SourceNode.Map> p = c.map("properties");
        p.flatMap(x -> x.seq("ports")).ifPresent(s -> s.items().forEach(i -> {
            if (i instanceof SourceNode.Map m) {
                m.text("port").map(ComposeImporter::integer).filter(v -> v > 0).ifPresent(list::add);
            }
        }));
        if (list.isEmpty()) {
            p.flatMap(x -> x.text("port")).map(ComposeImporter::integer).filter(v -> v > 0).ifPresent(list::add);
        }
        return list;
    }

    private void component(String oamName, SourceNode.Map c) {
        String name = names.get(oamName);
        String type = c.text("type").orElse("");
        SourceNode.Map props = c.map("properties").orElse(new SourceNode.Map(c.position(), c.pointer() + "/properties", Map.of()));
        Optional<ImageRef> image = props.text("image").map(ImageRef::parse);
        if (image.flatMap(Datastores::of).isPresent() && !type.equals("task") && !type.equals("cron-task")) {
            Datastores.Kind kind = Datastores.of(image.get()).get();
            Map<String, Object> component = new LinkedHashMap<>();
            component.put("type", kind.type());
            if (kind.official() && image.get().pinned() && image.get().tag().isPresent()) {
                component.put("version", image.get().tag().get());
            }
            outInfrastructure.put(name, component);
            finding(c, Finding.Kind.changed, "component " + oamName + " runs " + image.get().text() + ": it becomes castle's embedded "
                    + kind.type() + " " + name + ", with generated credentials, its own probes, storage and network policy"
                    + (kind.note().isEmpty() ? "" : "; " + kind.note()));
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        Set<String> handled = new LinkedHashSet<>(List.of("image", "ports", "port", "cmd", "args", "env", "cpu", "memory", "exposeType",
                "livenessProbe", "readinessProbe", "volumeMounts", "labels", "annotations", "imagePullPolicy", "imagePullSecrets",
                "schedule", "count", "restart", "concurrencyPolicy", "startingDeadlineSeconds", "successfulJobsHistoryLimit",
                "failedJobsHistoryLimit", "suspend", "timeZone"));
        switch (type) {
            case "webservice", "worker" -> { }
            case "task" -> out.put("workload", "Job");
            case "cron-task" -> out.put("workload", "CronJob");
            default -> {
                finding(c, "type", Finding.Kind.unmapped, "component type " + type + ": castle imports webservice, worker, task and cron-task");
                return;
            }
        }
        if (image.isEmpty()) {
            out.put("image", "replace.me/" + name + ":0.1.0");
            finding(c, "properties", Finding.Kind.changed, "component " + oamName + " names no image: replace the placeholder");
        } else if (!image.get().pinned()) {
            out.put("image", image.get().registry() + "/" + image.get().repository() + ":pin-a-version");
            finding(props, "image", Finding.Kind.changed, "image " + props.text("image").get() + " names no version (castle refuses latest):"
                    + " replace the tag pin-a-version with the version you run");
        } else {
            out.put("image", props.text("image").get());
        }
        props.text("imagePullPolicy").filter("Always"::equals).ifPresent(p -> finding(props, "imagePullPolicy", Finding.Kind.unmapped,
                "imagePullPolicy Always: write the image in its long form with pullPolicy: Always"));
        props.seq("imagePullSecrets").ifPresent(s -> out.put("imagePullSecrets", s.items().stream()
                .map(i -> i instanceof SourceNode.Scalar x ? x.text() : "").filter(x -> !x.isEmpty()).toList()));
        words(props, "cmd").ifPresent(w -> out.put("command", w));
        words(props, "args").ifPresent(w -> out.put("args", w));
        for (String key : List.of("cmd", "args")) {
            words(props, key).ifPresent(w -> w.forEach(word -> names.forEach((target, castle) -> {
                if (!target.equals(oamName) && Wiring.addressIn(word, target)) {
                    calls.add(new Wiring.Call(name, castle, false, Optional.empty(), Map.of()));
                }
            })));
        }
        Map<String, Object> portMap = new LinkedHashMap<>();
        if (type.equals("webservice")) {
            props.seq("ports").ifPresent(s -> s.items().forEach(i -> {
                if (!(i instanceof SourceNode.Map m)) {
                    return;
                }
                int port = m.text("port").map(ComposeImporter::integer).orElse(-1);
                if (port < 1 || port > 65535) {
                    finding(i, Finding.Kind.unmapped, "a port without a valid number");
                    return;
                }
                String protocol = m.text("protocol").map(x -> x.toUpperCase(Locale.ROOT)).orElse("TCP");
                String portName = m.text("name").map(x -> x.toLowerCase(Locale.ROOT))
                        .filter(x -> Names.PORT_NAME.matcher(x).matches() && x.length() <= 15 && x.matches(".*[a-z].*") && !portMap.containsKey(x))
                        .orElse(protocol.toLowerCase(Locale.ROOT) + "-" + port);
                boolean expose = m.get("expose").filter(e -> e instanceof SourceNode.Scalar x && x.isTrue()).isPresent();
                Map<String, Object> long_ = new LinkedHashMap<>();
                long_.put("port", port);
                if (!protocol.equals("TCP")) {
                    long_.put("protocol", protocol);
                }
                if (!expose) {
                    long_.put("expose", false);
                }
                portMap.put(portName, long_.size() == 1 ? port : long_);
            }));
            if (portMap.isEmpty()) {
                props.text("port").map(ComposeImporter::integer).filter(v -> v > 0).ifPresent(p -> portMap.put("tcp-" + p, p));
            }
            if (!portMap.isEmpty() && portMap.values().stream().allMatch(v -> v instanceof Map<?, ?> m && Boolean.FALSE.equals(m.get("expose")))) {
                // KubeVela exposes no port unless asked; castle's callers need one on the Service: the first one
                String first = portMap.keySet().iterator().next();
                @SuppressWarnings("unchecked")
                Map<String, Object> long_ = new LinkedHashMap<>((Map<String, Object>) portMap.get(first));
                long_.remove("expose");
                portMap.put(first, long_.size() == 1 ? long_.get("port") : long_);
            }
        }
        if (!portMap.isEmpty()) {
            out.put("ports", portMap);
        }
        props.text("exposeType").filter(t -> !t.equals("ClusterIP")).ifPresent(t -> out.put("service", Map.of("type", t)));
        // env
        Map<String, Object> env = new LinkedHashMap<>();
        List<String> secretNames = new ArrayList<>();
        props.seq("env").ifPresent(s -> s.items().forEach(i -> {
            if (!(i instanceof SourceNode.Map m) || m.text("name").isEmpty()) {
                return;
            }
            String var = m.text("name").get();
            Optional<SourceNode.Map> secretRef = m.map("valueFrom").flatMap(v -> v.map("secretKeyRef"));
            if (secretRef.isPresent()) {
                env.put(var, Map.of("secret", secretRef.get().text("name").orElse(""), "key", secretRef.get().text("key").orElse("")));
                return;
            }
            if (m.get("valueFrom").isPresent()) {
                finding(m, "valueFrom", Finding.Kind.unmapped, var + ": only secretKeyRef maps (castle's config is the service's own ConfigMap)");
                return;
            }
            String value = m.text("value").orElse("");
            if (reference(oamName, var, value)) {
                return;
            }
            if (Names.looksSecret(var) && !value.isEmpty()) {
                env.put(var, Map.of("secret", name + "-env", "key", var));
                secretNames.add(var);
                return;
            }
            env.put(var, value);
        }));
        if (!secretNames.isEmpty()) {
            finding(props, "env", Finding.Kind.todo, "the values of " + String.join(", ", secretNames) + " look like secrets: " + name
                    + " reads them from the Secret " + name + "-env; create it: kubectl create secret generic " + name + "-env "
                    + secretNames.stream().map(n -> "--from-literal=" + n + "=...").reduce((a, b) -> a + " " + b).orElse(""));
        }
        outEnv.put(name, env);
        if (!env.isEmpty()) {
            out.put("env", env);
        }
        // resources
        Map<String, String> amounts = new LinkedHashMap<>();
        props.text("cpu").flatMap(Units::cpu).ifPresent(v -> amounts.put("cpu", v));
        props.text("memory").filter(v -> v.matches("^\\d+(\\.\\d+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$")).ifPresent(v -> amounts.put("memory", v));
        if (!amounts.isEmpty()) {
            out.put("resources", Map.of("requests", amounts, "limits", amounts));
        }
        // probes
        Map<String, Object> probes = new LinkedHashMap<>();
        probe(props, "livenessProbe", portMap).ifPresent(p -> probes.put("liveness", p));
        probe(props, "readinessProbe", portMap).ifPresent(p -> probes.put("readiness", p));
        if (!type.equals("task") && !type.equals("cron-task") && portMap.isEmpty()) {
            boolean liveness = probes.get("liveness") instanceof Map<?, ?> l && l.containsKey("exec");
            boolean readiness = probes.get("readiness") instanceof Map<?, ?> r && r.containsKey("exec");
            if (!liveness && !readiness) {
                probes.putAll(ProcessProbes.probes());
                finding(c, Finding.Kind.changed, "component " + oamName + " has no ports and no exec probe: " + ProcessProbes.NOTE);
            } else if (!readiness || !liveness) {
                // a workload without ports needs both: the one given, checked more often for readiness
                @SuppressWarnings("unchecked")
                Map<String, Object> given = new LinkedHashMap<>((Map<String, Object>) probes.get(liveness ? "liveness" : "readiness"));
                given.remove("initialDelaySeconds");
                given.put("periodSeconds", liveness ? 5 : 20);
                probes.put(liveness ? "readiness" : "liveness", given);
                finding(props, liveness ? "livenessProbe" : "readinessProbe", Finding.Kind.changed, "component " + oamName
                        + " has no ports: castle needs both probes; the " + (liveness ? "readiness" : "liveness")
                        + " probe runs the same command");
            }
        }
        if (!probes.isEmpty() && !type.equals("task") && !type.equals("cron-task")) {
            out.put("probes", probes);
        }
        // jobs
        if (type.equals("cron-task")) {
            props.text("schedule").ifPresent(s -> out.put("schedule", s));
            if (!out.containsKey("schedule")) {
                out.put("schedule", "0 0 * * *");
                finding(c, "properties", Finding.Kind.changed, "cron-task " + oamName + " has no schedule: castle needs one, 0 0 * * * is a placeholder");
            }
            props.text("timeZone").ifPresent(z -> out.put("timeZone", z));
        }
        if (type.equals("task") || type.equals("cron-task")) {
            Map<String, Object> job = new LinkedHashMap<>();
            props.text("count").map(ComposeImporter::integer).filter(n -> n > 0).ifPresent(n -> {
                job.put("parallelism", n);
                job.put("completions", n);
            });
            props.text("restart").filter(r -> r.equals("Never") || r.equals("OnFailure")).ifPresent(r -> job.put("restartPolicy", r));
            if (type.equals("cron-task")) {
                props.text("concurrencyPolicy").ifPresent(v -> job.put("concurrencyPolicy", v));
                for (String k : List.of("startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit")) {
                    props.text(k).map(ComposeImporter::integer).filter(n -> n >= 0).ifPresent(n -> job.put(k, n));
                }
                props.get("suspend").filter(v -> v instanceof SourceNode.Scalar x && x.isTrue()).ifPresent(v -> job.put("suspend", true));
            }
            if (!job.isEmpty()) {
                out.put("job", job);
            }
        }
        // volumes from properties
        Map<String, Object> volumes = new LinkedHashMap<>();
        Map<String, Object> secrets = new LinkedHashMap<>();
        props.map("volumeMounts").ifPresent(vm -> volumeMounts(vm, volumes, secrets));
        Map<String, String> podLabels = new TreeMap<>();
        Map<String, String> podAnnotations = new TreeMap<>();
        props.map("labels").ifPresent(l -> l.entries().forEach((k, e) -> podLabels.put(k, text(e.value()))));
        props.map("annotations").ifPresent(l -> l.entries().forEach((k, e) -> podAnnotations.put(k, text(e.value()))));
        // traits
        c.seq("traits").ifPresent(traits -> traits.items().forEach(t -> {
            if (!(t instanceof SourceNode.Map trait)) {
                return;
            }
            String traitType = trait.text("type").orElse("");
            SourceNode.Map tp = trait.map("properties").orElse(new SourceNode.Map(trait.position(), trait.pointer() + "/properties", Map.of()));
            switch (traitType) {
                case "scaler" -> tp.text("replicas").map(ComposeImporter::integer).filter(n -> n >= 0).ifPresent(n -> out.put("replicas", n));
                case "cpuscaler", "hpa" -> {
                    int min = tp.text("min").map(ComposeImporter::integer).filter(n -> n > 0).orElse(1);
                    int max = tp.text("max").map(ComposeImporter::integer).filter(n -> n > min).orElse(Math.max(min + 1, 10));
                    Map<String, Object> autoscaling = new LinkedHashMap<>();
                    autoscaling.put("minReplicas", min);
                    autoscaling.put("maxReplicas", max);
                    tp.text(traitType.equals("hpa") ? "cpu" : "cpuUtil").map(ComposeImporter::integer).filter(n -> n > 0 && n <= 100)
                            .ifPresent(n -> autoscaling.put("cpu", n));
                    out.put("autoscaling", autoscaling);
                }
                case "gateway" -> gateway(oamName, tp, portMap, out);
                case "expose" -> tp.text("type").filter(x -> !x.equals("ClusterIP")).ifPresent(x -> out.put("service", Map.of("type", x)));
                case "storage" -> volumeMounts(tp, volumes, secrets);
                case "labels" -> tp.entries().forEach((k, e) -> podLabels.put(k, text(e.value())));
                case "annotations" -> tp.entries().forEach((k, e) -> podAnnotations.put(k, text(e.value())));
                case "sidecar", "init-container" -> finding(trait, "type", Finding.Kind.unmapped, "trait " + traitType
                        + ": castle writes no extra containers yet (sidecars and initContainers are planned)");
                default -> finding(trait, "type", Finding.Kind.unmapped, "trait " + traitType + " has no castle equivalent");
            }
        }));
        if (out.containsKey("autoscaling")) {
            out.remove("replicas");
        }
        if (!volumes.isEmpty()) {
            out.put("volumes", volumes);
        }
        if (!secrets.isEmpty()) {
            out.put("secrets", secrets);
        }
        if (!podLabels.isEmpty()) {
            out.put("podLabels", podLabels);
        }
        if (!podAnnotations.isEmpty()) {
            out.put("podAnnotations", podAnnotations);
        }
        props.entries().keySet().stream().filter(k -> !handled.contains(k))
                .forEach(k -> finding(props, k, Finding.Kind.unmapped, "property " + k + " of a " + type + " has no castle equivalent"));
        outServices.put(name, out);
    }

    private void gateway(String oamName, SourceNode.Map tp, Map<String, Object> portMap, Map<String, Object> out) {
        Map<String, Object> expose = new LinkedHashMap<>();
        expose.put("via", "ingress");
        if (!exposedByIngress) {
            exposedByIngress = true;
            finding(tp, Finding.Kind.todo, "the network policies admit the ingress controller's pods by their namespace:"
                    + " network.ingressNamespace says ingress-nginx; set the namespace your ingress controller runs in");
        }
        tp.text("domain").ifPresent(d -> expose.put("hosts", List.of(d)));
        List<String> paths = new ArrayList<>();
        Set<Integer> targets = new LinkedHashSet<>();
        tp.map("http").ifPresent(h -> h.entries().forEach((path, e) -> {
            paths.add(path);
            targets.add(ComposeImporter.integer(text(e.value())));
        }));
        if (!paths.isEmpty() && !(paths.size() == 1 && paths.get(0).equals("/"))) {
            expose.put("paths", paths);
        }
        if (targets.size() > 1) {
            finding(tp, "http", Finding.Kind.changed, "castle exposes one port per service: the paths all go to port " + targets.iterator().next());
        }
        targets.stream().findFirst().flatMap(port -> portMap.entrySet().stream().filter(e -> e.getValue().equals(port)
                || e.getValue() instanceof Map<?, ?> m && port.equals(m.get("port"))).map(Map.Entry::getKey).findFirst())
                .ifPresent(p -> expose.put("port", p));
        tp.text("class").ifPresent(c -> expose.put("ingressClassName", c));
        tp.text("secretName").ifPresent(s -> expose.put("tls", Map.of("secretName", s)));
        if (!expose.containsKey("hosts")) {
            finding(tp, Finding.Kind.changed, "gateway of " + oamName + " without a domain: castle needs a host name; example.com is a placeholder");
            expose.put("hosts", List.of(names.get(oamName) + ".example.com"));
        }
        tp.entries().keySet().stream().filter(k -> !List.of("domain", "http", "class", "secretName", "classInSpec").contains(k))
                .forEach(k -> finding(tp, k, Finding.Kind.unmapped, "gateway." + k + " has no castle equivalent"));
        out.put("expose", expose);
    }

    private void volumeMounts(SourceNode.Map vm, Map<String, Object> volumes, Map<String, Object> secrets) {
        vm.entries().forEach((kind, e) -> {
            if (!(e.value() instanceof SourceNode.Seq list)) {
                return;
            }
            for (SourceNode item : list.items()) {
                if (!(item instanceof SourceNode.Map m)) {
                    continue;
                }
                String volumeName = Names.dnsLabel(m.text("name").orElse(kind), 40);
                Optional<String> mountPath = m.text("mountPath");
                if (mountPath.isEmpty()) {
                    finding(item, Finding.Kind.unmapped, "a volume without mountPath");
                    continue;
                }
                Map<String, Object> volume = new LinkedHashMap<>();
                volume.put("mountPath", mountPath.get());
                switch (kind) {
                    case "pvc" -> {
                        if (m.text("claimName").isPresent() && m.map("resources").isEmpty()) {
                            volume.put("claim", m.text("claimName").get());
                        } else {
                            Map<String, Object> persistent = new LinkedHashMap<>();
                            persistent.put("size", m.map("resources").flatMap(r -> r.map("requests")).flatMap(r -> r.text("storage")).orElse("8Gi"));
                            m.text("storageClassName").ifPresent(s -> persistent.put("storageClass", s));
                            m.seq("accessModes").ifPresent(a -> persistent.put("accessModes", a.items().stream().map(OamImporter::text).toList()));
                            volume.put("persistent", persistent);
                        }
                    }
                    case "emptyDir" -> volume.put("emptyDir", m.text("medium").filter("Memory"::equals).map(x -> Map.<String, Object>of("medium", x))
                            .orElse(Map.of()));
                    case "secret" -> {
                        secrets.put(m.text("secretName").orElse(volumeName), Map.of("mountPath", mountPath.get()));
                        continue;
                    }
                    default -> {
                        finding(item, Finding.Kind.unmapped, kind + " volume " + volumeName + ": castle mounts persistent volumes, "
                                + "emptyDirs and Secrets (configuration goes into config.files)");
                        continue;
                    }
                }
                if (volumeName.equals("tmp") || volumeName.startsWith("config") || volumeName.startsWith("secret-")) {
                    volumeName = "data-" + volumeName;
                }
                volumes.put(volumeName, volume);
            }
        });
    }

    private Optional<Object> probe(SourceNode.Map props, String key, Map<String, Object> portMap) {
        Optional<SourceNode.Map> p = props.map(key);
        if (p.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        SourceNode.Map probe = p.get();
        if (probe.map("httpGet").isPresent()) {
            SourceNode.Map http = probe.map("httpGet").get();
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("path", http.text("path").orElse("/"));
            http.text("port").map(ComposeImporter::integer).filter(n -> n > 0).ifPresent(n -> h.put("port", n));
            out.put("http", h);
        } else if (probe.map("tcpSocket").isPresent()) {
            out.put("tcp", probe.map("tcpSocket").get().text("port").map(ComposeImporter::integer).filter(n -> n > 0)
                    .map(n -> (Object) n).orElse(portMap.keySet().stream().findFirst().orElse("")));
        } else if (probe.map("exec").flatMap(e -> e.seq("command")).isPresent()) {
            out.put("exec", probe.map("exec").get().seq("command").get().items().stream().map(OamImporter::text).toList());
        } else {
            finding(probe, Finding.Kind.unmapped, key + " without httpGet, tcpSocket or exec");
            return Optional.empty();
        }
        for (String timing : List.of("initialDelaySeconds", "periodSeconds", "timeoutSeconds", "failureThreshold", "successThreshold")) {
            probe.text(timing).map(ComposeImporter::integer).filter(n -> n >= 0).ifPresent(n -> out.put(timing, n));
        }
        if (key.equals("livenessProbe")) {
            out.remove("successThreshold");
        }
        return Optional.of(out);
    }

    /** An env value that is the address of another component: a call, and the variable castle injects. */
    private boolean reference(String caller, String variable, String value) {
        for (Map.Entry<String, String> target : names.entrySet()) {
            String host = target.getKey();
            if (host.equals(caller)) {
                continue;
            }
            boolean infra = outInfrastructure.containsKey(target.getValue()) || components.get(host).text("type").isPresent()
                    && components.get(host).map("properties").flatMap(p -> p.text("image")).map(ImageRef::parse).flatMap(Datastores::of).isPresent();
            List<Integer> targetPorts = ports.get(host);
            String kind = null;
            if (value.equals(host)) {
                kind = "host";
            } else if (!infra && !targetPorts.isEmpty() && value.equals(host + ":" + targetPorts.get(0))) {
                kind = "url";
            } else if (!java.util.regex.Pattern.compile("(^|[/@:=,\\s])" + java.util.regex.Pattern.quote(host) + "([:/,\\s]|$)").matcher(value).find()) {
                continue;
            }
            if (!infra && targetPorts.isEmpty()) {
                return false;
            }
            calls.add(new Wiring.Call(names.get(caller), target.getValue(), false, Optional.empty(),
                    kind == null ? Map.of() : Map.of(kind, variable)));
            return kind != null;
        }
        return false;
    }

    private Map<String, Object> environments(SourceNode.Map app) {
        Map<String, SourceNode.Map> policies = new LinkedHashMap<>();
        app.map("spec").flatMap(s -> s.seq("policies")).ifPresent(list -> list.items().forEach(p -> {
            if (p instanceof SourceNode.Map m && m.text("name").isPresent()) {
                policies.put(m.text("name").get(), m);
                String type = m.text("type").orElse("");
                if (!type.equals("topology") && !type.equals("override")) {
                    finding(m, "type", Finding.Kind.unmapped, "policy type " + type + ": castle maps topology and override policies");
                }
            }
        }));
        Map<String, List<String>> combinations = new LinkedHashMap<>();
        app.map("spec").flatMap(s -> s.map("workflow")).flatMap(w -> w.seq("steps")).ifPresent(steps -> steps.items().forEach(step -> {
            if (step instanceof SourceNode.Map m && m.text("type").filter("deploy"::equals).isPresent()) {
                List<String> used = m.map("properties").flatMap(p -> p.seq("policies")).map(s -> s.items().stream().map(OamImporter::text).toList())
                        .orElse(List.of());
                if (used.stream().anyMatch(u -> policies.containsKey(u) && policies.get(u).text("type").filter("topology"::equals).isPresent())) {
                    combinations.put(m.text("name").orElse("deploy"), used);
                }
            } else if (step instanceof SourceNode.Map m) {
                finding(m, Finding.Kind.unmapped, "workflow step " + m.text("name").orElse("") + " of type " + m.text("type").orElse("")
                        + ": castle generates charts; ordering and approvals are the deployment tool's");
            }
        }));
        if (combinations.isEmpty()) {
            List<String> overrides = policies.values().stream().filter(p -> p.text("type").filter("override"::equals).isPresent())
                    .map(p -> p.text("name").get()).toList();
            policies.values().stream().filter(p -> p.text("type").filter("topology"::equals).isPresent()).forEach(p -> {
                List<String> used = new ArrayList<>(List.of(p.text("name").get()));
                used.addAll(overrides);
                combinations.put(p.text("name").get(), used);
            });
        }
        Map<String, Object> environments = new LinkedHashMap<>();
        combinations.forEach((envName, used) -> {
            Map<String, Object> env = new LinkedHashMap<>();
            Map<String, Object> services = new TreeMap<>();
            for (String policyName : used) {
                SourceNode.Map policy = policies.get(policyName);
                if (policy == null) {
                    continue;
                }
                SourceNode.Map props = policy.map("properties").orElse(new SourceNode.Map(policy.position(), policy.pointer(), Map.of()));
                if (policy.text("type").filter("topology"::equals).isPresent()) {
                    props.text("namespace").map(n -> Names.dnsLabel(n, 63)).ifPresent(n -> env.put("namespace", n));
                    props.entries().keySet().stream().filter(k -> !k.equals("namespace")).forEach(k -> finding(props, k, Finding.Kind.unmapped,
                            "topology." + k + ": castle's environments are namespaces; which cluster is the deployment tool's choice"));
                } else {
                    props.seq("components").ifPresent(list -> list.items().forEach(item -> override(item, services)));
                }
            }
            if (!services.isEmpty()) {
                env.put("services", services);
            }
            environments.put(Names.dnsLabel(envName, 40), env);
        });
        return environments;
    }

    @SuppressWarnings("unchecked")
    private void override(SourceNode item, Map<String, Object> services) {
        if (!(item instanceof SourceNode.Map m)) {
            return;
        }
        Optional<String> type = m.text("type");
        List<String> targets = m.text("name").map(n -> List.of(n)).orElse(components.entrySet().stream()
                .filter(c -> type.isEmpty() || c.getValue().text("type").equals(type)).map(Map.Entry::getKey).toList());
        for (String target : targets) {
            String name = names.get(target);
            if (name == null || !outServices.containsKey(name)) {
                continue;
            }
            Map<String, Object> service = (Map<String, Object>) services.computeIfAbsent(name, k -> new LinkedHashMap<String, Object>());
            m.map("properties").ifPresent(p -> p.entries().forEach((k, e) -> {
                switch (k) {
                    case "image" -> {
                        ImageRef ref = ImageRef.parse(text(e.value()));
                        if (ref.pinned()) {
                            service.put("image", text(e.value()));
                        } else {
                            finding(p, k, Finding.Kind.unmapped, "override image " + text(e.value()) + " names no version");
                        }
                    }
                    case "cpu", "memory" -> {
                        Map<String, Object> resources = (Map<String, Object>) service.computeIfAbsent("resources", x -> new LinkedHashMap<String, Object>());
                        Optional<String> amount = k.equals("cpu") ? Units.cpu(text(e.value())) : Optional.of(text(e.value()));
                        amount.ifPresent(a -> {
                            ((Map<String, Object>) resources.computeIfAbsent("requests", x -> new LinkedHashMap<String, Object>())).put(k, a);
                            ((Map<String, Object>) resources.computeIfAbsent("limits", x -> new LinkedHashMap<String, Object>())).put(k, a);
                        });
                    }
                    default -> finding(p, k, Finding.Kind.unmapped, "override of " + k + ": castle's environments override image, "
                            + "replicas, resources, env and exposure");
                }
            }));
            m.seq("traits").ifPresent(traits -> traits.items().forEach(t -> {
                if (t instanceof SourceNode.Map trait && trait.text("type").filter("scaler"::equals).isPresent()) {
                    trait.map("properties").flatMap(tp -> tp.text("replicas")).map(ComposeImporter::integer).filter(n -> n >= 0)
                            .ifPresent(n -> service.put("replicas", n));
                } else if (t instanceof SourceNode.Map trait) {
                    finding(trait, Finding.Kind.unmapped, "override of trait " + trait.text("type").orElse("") + " is not mapped");
                }
            }));
            if (service.isEmpty()) {
                services.remove(name);
            }
        }
    }

    private Optional<List<String>> words(SourceNode.Map node, String key) {
        return node.seq(key).map(s -> s.items().stream().map(OamImporter::text).toList());
    }

    private static String text(SourceNode node) {
        return node instanceof SourceNode.Scalar s && !s.isNull() ? s.text() : "";
    }

    private void finding(SourceNode node, Finding.Kind kind, String message) {
        findings.add(new Finding(node.position(), node.pointer(), kind, message));
    }

    private void finding(SourceNode.Map node, String key, Finding.Kind kind, String message) {
        findings.add(new Finding(node.keyPosition(key), node.pointer() + "/" + SourceNode.escape(key), kind, message));
    }
}
