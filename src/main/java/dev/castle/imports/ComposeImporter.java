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
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.castle.load.InvalidInputException;
import dev.castle.load.Position;

/**
 * {@code castle import compose}: a Compose project becomes a castle descriptor. Services keep
 * their image, command, ports, environment (with env files), health checks (as probes), volumes,
 * resources and replicas; images of known datastores become infrastructure components whose
 * credentials castle generates into Secrets; {@code depends_on} and the host names a service uses
 * to reach another become {@code dependsOn} edges (start-up edges where Compose waits), and the
 * variables that held those addresses become the ones castle injects; networks check the edges and
 * add those they imply; profiles become environments. Every key that is not carried over is a
 * {@link Finding} with its position: nothing is dropped silently.
 */
public final class ComposeImporter {
    /** {@code [ip:][published:]target[/protocol]}; ports are named by protocol and number unless Compose names them. */
    private static final Pattern PORT_SPEC = Pattern.compile(
            "^(?:(?:\\[?[0-9a-fA-F.:]*\\]?):)??(?:(\\d+(?:-\\d+)?):)?(\\d+(?:-\\d+)?)(?:/(tcp|udp|sctp))?$");

    private final List<Finding> findings = new ArrayList<>();
    private final Map<String, SourceNode.Map> services = new LinkedHashMap<>();
    private final Map<String, String> names = new LinkedHashMap<>();
    private final Map<String, Datastores.Kind> datastores = new LinkedHashMap<>();
    private final Set<String> zookeepers = new LinkedHashSet<>();
    private final Map<String, List<PortOut>> ports = new LinkedHashMap<>();
    private final Map<String, String> aliases = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> credentials = new LinkedHashMap<>();
    private final List<Wiring.Call> calls = new ArrayList<>();
    private final Map<String, Object> outServices = new LinkedHashMap<>();
    private final Map<String, Object> outInfrastructure = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> outEnv = new LinkedHashMap<>();

    record PortOut(String name, int port, int servicePort, String protocol, String appProtocol) {
        boolean http() {
            return !name.startsWith("grpc") && (appProtocol.startsWith("http") || name.startsWith("http") || name.equals("web"));
        }
    }

    private ComposeImporter() {
    }

    /**
     * Imports the Compose files (merged in order, as {@code docker compose -f} does).
     * {@code environment}: variables for interpolation (the process environment; the project's
     * {@code .env} is read here). {@code name}: the system name, else Compose's project name, else
     * the first file's folder.
     */
    public static ImportResult importFiles(List<Path> files, Map<String, String> environment, Optional<String> name)
            throws InvalidInputException {
        ComposeFiles.Variables variables = ComposeFiles.variables(files.get(0), environment);
        Interpolation interpolation = new Interpolation(variables.values());
        List<SourceNode.Map> roots = ComposeFiles.read(files, interpolation);
        SourceNode.Map project = ComposeFiles.merge(roots);
        ComposeImporter importer = new ComposeImporter();
        if (!interpolation.unset.isEmpty()) {
            importer.finding(roots.get(0), Finding.Kind.changed, "variables without a value became empty, as docker compose does: "
                    + String.join(", ", interpolation.unset) + " (set them, or put them into "
                    + variables.dotEnv().map(Path::toString).orElse(".env beside the Compose file") + ", and import again)");
        }
        String system = name.orElseGet(() -> project.text("name").map(n -> Names.dnsLabel(n, 53))
                .orElseGet(() -> Names.dnsLabel(Optional.ofNullable(files.get(0).toAbsolutePath().getParent())
                        .map(p -> p.getFileName() == null ? "system" : p.getFileName().toString()).orElse("system"), 53)));
        Map<String, Object> descriptor = importer.convert(project, system);
        return new ImportResult(system, descriptor, importer.findings,
                files.stream().map(Path::toString).toList());
    }

    private Map<String, Object> convert(SourceNode.Map project, String system) {
        project.map("volumes").ifPresent(v -> v.entries().forEach((k, e) -> {
            if (e.value() instanceof SourceNode.Map m && m.get("external").filter(x -> x instanceof SourceNode.Scalar s && s.isTrue()
                    || x instanceof SourceNode.Map).isPresent()) {
                externalVolumes.add(k);
            }
        }));
        project.map("secrets").ifPresent(v -> v.entries().forEach((k, e) -> {
            if (e.value() instanceof SourceNode.Map m) {
                m.text("file").ifPresent(f -> topSecrets.put(k, f));
                m.text("environment").ifPresent(f -> topSecrets.put(k, "<file with the value of $" + f + ">"));
            }
        }));
        project.map("services").ifPresent(s -> s.entries().forEach((k, e) -> {
            if (e.value() instanceof SourceNode.Map m) {
                services.put(k, m);
            }
        }));
        nameServices();
        classify();
        services.forEach(this::collectPorts);
        services.forEach(this::collectAliases);
        services.forEach((composeName, node) -> {
            if (datastores.containsKey(composeName)) {
                datastore(composeName, node);
            }
        });
        services.forEach((composeName, node) -> {
            if (!datastores.containsKey(composeName) && !zookeepers.contains(composeName)) {
                service(composeName, node, system);
            }
        });
        networks(project);
        wire();
        unreached();
        Map<String, Object> descriptor = new LinkedHashMap<>();
        descriptor.put("apiVersion", "castle/v1alpha1");
        descriptor.put("kind", "System");
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", system);
        metadata.put("version", "0.1.0");
        metadata.put("description", "Imported from Docker Compose by castle import compose.");
        descriptor.put("metadata", metadata);
        if (!outInfrastructure.isEmpty()) {
            descriptor.put("infrastructure", outInfrastructure);
        }
        descriptor.put("services", outServices);
        Map<String, Object> environments = profiles();
        if (!environments.isEmpty()) {
            descriptor.put("environments", environments);
        }
        topLevel(project);
        return descriptor;
    }

    // ---- names and kinds -------------------------------------------------------------------

    private void nameServices() {
        Set<String> used = new TreeSet<>();
        services.forEach((composeName, node) -> {
            String name = Names.dnsLabel(composeName, 40);
            String base = name;
            for (int i = 2; used.contains(name); i++) {
                name = base + "-" + i;
            }
            used.add(name);
            names.put(composeName, name);
            if (!name.equals(composeName)) {
                finding(node, Finding.Kind.changed, "service '" + composeName + "' is '" + name
                        + "' in castle (names are DNS labels of at most 40 characters here)");
            }
        });
    }

    private void classify() {
        boolean kafka = services.values().stream().anyMatch(n -> n.text("image").map(ImageRef::parse)
                .flatMap(Datastores::of).filter(k -> k.type().equals("kafka")).isPresent());
        services.forEach((composeName, node) -> node.text("image").map(ImageRef::parse).ifPresent(image -> {
            Datastores.of(image).ifPresent(kind -> datastores.put(composeName, kind));
            if (kafka && Datastores.isZookeeper(image)) {
                zookeepers.add(composeName);
                finding(node, Finding.Kind.unmapped, "ZooKeeper service '" + composeName
                        + "' is left out: castle's embedded kafka runs in KRaft mode and needs none");
            }
        }));
    }

    private String name(String composeName) {
        return names.getOrDefault(composeName, composeName);
    }

    // ---- ports -----------------------------------------------------------------------------

    private void collectPorts(String composeName, SourceNode.Map node) {
        List<PortOut> list = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        Set<String> servicePorts = new LinkedHashSet<>();
        boolean published = false;
        for (String key : List.of("ports", "expose")) {
            Optional<SourceNode.Seq> seq = node.seq(key);
            if (seq.isEmpty()) {
                continue;
            }
            for (SourceNode item : seq.get().items()) {
                Integer target = null;
                Integer publishedPort = null;
                String protocol = "TCP";
                String portName = "";
                String appProtocol = "";
                if (item instanceof SourceNode.Map long_) {
                    target = long_.text("target").map(ComposeImporter::integer).orElse(null);
                    publishedPort = long_.text("published").map(ComposeImporter::integer).orElse(null);
                    protocol = long_.text("protocol").map(p -> p.toUpperCase(Locale.ROOT)).orElse("TCP");
                    portName = long_.text("name").orElse("");
                    appProtocol = long_.text("app_protocol").orElse("");
                    published |= long_.get("published").isPresent();
                } else if (item instanceof SourceNode.Scalar s) {
                    Matcher m = PORT_SPEC.matcher(s.text().trim());
                    if (!m.matches() || m.group(2).contains("-") || m.group(1) != null && m.group(1).contains("-")) {
                        finding(item, Finding.Kind.unmapped, "port " + s.text() + ": castle maps single ports, not ranges"
                                + " (list the ports one by one)");
                        continue;
                    }
                    target = integer(m.group(2));
                    publishedPort = m.group(1) == null ? null : integer(m.group(1));
                    published |= m.group(1) != null;
                    protocol = m.group(3) == null ? "TCP" : m.group(3).toUpperCase(Locale.ROOT);
                }
                if (target == null || target < 1 || target > 65535) {
                    finding(item, Finding.Kind.unmapped, "a port without a valid container port (target)");
                    continue;
                }
                if (!seen.add(target + "/" + protocol)) {
                    continue;
                }
                int servicePort = publishedPort != null && publishedPort > 0 && !servicePorts.contains(publishedPort + "/" + protocol)
                        ? publishedPort : target;
                servicePorts.add(servicePort + "/" + protocol);
                String given = portName.toLowerCase(Locale.ROOT);
                String name = given;
                if (name.isEmpty() || !Names.PORT_NAME.matcher(name).matches() || name.length() > 15 || !name.matches(".*[a-z].*")
                        || list.stream().anyMatch(p -> p.name().equals(given))) {
                    name = protocol.toLowerCase(Locale.ROOT) + "-" + target;
                }
                list.add(new PortOut(name, target, servicePort, protocol, appProtocol));
            }
        }
        ports.put(composeName, list);
        if (published && !datastores.containsKey(composeName)) {
            finding(node, "ports", Finding.Kind.changed, "published host ports: in the cluster the Service of '" + name(composeName)
                    + "' answers on " + list.stream().map(p -> String.valueOf(p.servicePort())).distinct().reduce((a, b) -> a + ", " + b).orElse("")
                    + "; to reach it from outside, add expose (a route or an Ingress) or service.type: LoadBalancer");
        }
    }

    private void collectAliases(String composeName, SourceNode.Map node) {
        aliases.put(composeName, composeName);
        node.text("hostname").ifPresent(h -> aliases.putIfAbsent(h, composeName));
        node.text("container_name").ifPresent(h -> aliases.putIfAbsent(h, composeName));
        node.get("networks").map(ComposeFiles::asMap).filter(SourceNode.Map.class::isInstance).map(SourceNode.Map.class::cast)
                .ifPresent(nets -> nets.entries().values().forEach(e -> {
                    if (e.value() instanceof SourceNode.Map net) {
                        net.seq("aliases").ifPresent(seq -> seq.items().forEach(a -> {
                            if (a instanceof SourceNode.Scalar s) {
                                aliases.putIfAbsent(s.text(), composeName);
                            }
                        }));
                    }
                }));
        node.seq("links").ifPresent(links -> links.items().forEach(l -> {
            if (l instanceof SourceNode.Scalar s && s.text().contains(":")) {
                String target = s.text().substring(0, s.text().indexOf(':'));
                aliases.putIfAbsent(s.text().substring(s.text().indexOf(':') + 1), target);
            }
        }));
    }

    // ---- datastores ------------------------------------------------------------------------

    private void datastore(String composeName, SourceNode.Map node) {
        Datastores.Kind kind = datastores.get(composeName);
        ImageRef image = ImageRef.parse(node.text("image").orElseThrow());
        Map<String, Object> component = new LinkedHashMap<>();
        component.put("type", kind.type());
        dev.castle.model.Infrastructure.Versions versions = dev.castle.model.Infrastructure.Type.valueOf(kind.type()).versions;
        java.util.regex.Matcher version = java.util.regex.Pattern.compile("^v?(\\d{1,9})(?:\\.(\\d{1,9}))?.*").matcher(image.tag().orElse(""));
        boolean runnable = !version.matches() || versions.contains(Integer.parseInt(version.group(1)),
                version.group(2) == null ? Integer.MAX_VALUE : Integer.parseInt(version.group(2)))
                && !dev.castle.model.Infrastructure.mysqlBeforeRootHost(dev.castle.model.Infrastructure.Type.valueOf(kind.type()), image.tag().orElse(""));
        if (!runnable) {
            finding(node, "image", Finding.Kind.changed, "'" + composeName + "' runs " + kind.type() + " " + image.tag().orElse("")
                    + ", outside what castle's embedded " + kind.type() + " supports (" + versions.range() + ": "
                    + versions.whyNotOlder() + "), so it runs castle's default version; upgrade the data, or make it mode: external");
        } else if (kind.official() && image.tag().filter(t -> !t.equals("latest") && t.matches("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")).isPresent()
                && image.registry().equals("docker.io")) {
            component.put("version", image.tag().get());
        } else {
            finding(node, "image", Finding.Kind.changed, "'" + composeName + "' runs castle's embedded " + kind.type() + " ("
                    + kind.image().replace("library/", "") + " at castle's default version)"
                    + (image.tag().isPresent() && !kind.official() ? " instead of " + image.text() : "")
                    + (kind.note().isEmpty() ? "" : "; " + kind.note()));
        }
        Map<String, String> values = new LinkedHashMap<>();
        Set<String> handled = new TreeSet<>(Set.of("image", "environment", "env_file"));
        Map<String, Position> keyPositions = new LinkedHashMap<>();
        environment(node, composeName).forEach((variable, value) -> {
            Optional<Datastores.Role> role = Datastores.role(kind.type(), variable.name());
            if (role.isEmpty()) {
                finding(variable.position(), variable.pointer(), Finding.Kind.unmapped, "variable " + variable.name() + " of '"
                        + composeName + "': castle's embedded " + kind.type() + " takes no other settings");
                return;
            }
            switch (role.get()) {
                case username -> {
                    if (value != null && value.matches("^[A-Za-z_][A-Za-z0-9_-]{0,62}$")) {
                        component.put("username", value);
                        values.put("username", value);
                    } else {
                        finding(variable.position(), variable.pointer(), Finding.Kind.unmapped, "user name " + value
                                + " does not fit castle's user names (letters, digits, _ and -): castle's default user is used");
                    }
                }
                case database -> {
                    if (value != null && value.matches("^[A-Za-z_][A-Za-z0-9_-]{0,62}$")) {
                        component.put("database", value);
                        values.put("database", value);
                    } else {
                        finding(variable.position(), variable.pointer(), Finding.Kind.unmapped, "database " + value
                                + " does not fit castle's database names: the component's name is used");
                    }
                }
                case password -> {
                    if (value != null && !value.isEmpty()) {
                        values.put("password:" + variable.name(), value);
                    }
                    keyPositions.put(variable.name(), variable.position());
                }
            }
        });
        if (!keyPositions.isEmpty() && kind.type().equals("kafka") == false) {
            Position at = keyPositions.values().iterator().next();
            findings.add(new Finding(at, node.pointer() + "/environment", Finding.Kind.changed, (keyPositions.size() > 1 ? "the passwords " : "the password ")
                    + String.join(", ", keyPositions.keySet()) + " of '" + composeName
                    + (keyPositions.size() > 1 ? "' are" : "' is") + " not carried over: castle generates the credentials of " + name(composeName)
                    + " into a Secret and injects them into the services that call it"));
        }
        credentials.put(composeName, values);
        List<String> replaced = new ArrayList<>();
        for (String key : node.entries().keySet()) {
            if (handled.contains(key) || key.startsWith("x-")) {
                continue;
            }
            if (List.of("ports", "expose", "healthcheck", "volumes", "command", "restart", "networks", "container_name",
                    "hostname", "depends_on", "deploy", "labels", "user", "tmpfs", "ulimits", "cap_drop", "cap_add", "read_only",
                    "security_opt", "stop_grace_period").contains(key)) {
                replaced.add(key);
            } else {
                finding(node, key, Finding.Kind.unmapped, "'" + key + "' of datastore '" + composeName
                        + "': castle's embedded " + kind.type() + " has no such setting");
            }
        }
        extensions(node);
        if (!replaced.isEmpty()) {
            finding(node, Finding.Kind.changed, "datastore '" + composeName + "' becomes the infrastructure component "
                    + name(composeName) + " (" + kind.type() + ", embedded): castle gives it its own port, probes, storage, "
                    + "security and network policy, in place of its " + String.join(", ", replaced));
        }
        node.seq("volumes").ifPresent(v -> component.put("storage", Map.of("size", "8Gi")));
        outInfrastructure.put(name(composeName), component);
    }

    // ---- services --------------------------------------------------------------------------

    /** An environment variable as the source wrote it. */
    record Variable(String name, Position position, String pointer) {
    }

    private void service(String composeName, SourceNode.Map node, String system) {
        String castleName = name(composeName);
        Set<String> handled = new TreeSet<>();
        Map<String, Object> out = new LinkedHashMap<>();
        List<PortOut> portList = ports.get(composeName);
        // image
        handled.add("image");
        handled.add("build");
        Optional<String> imageText = node.text("image");
        if (imageText.isEmpty()) {
            out.put("image", "replace.me/" + system + "/" + castleName + ":0.1.0");
            finding(node, node.get("build").isPresent() ? "build" : "image", Finding.Kind.changed, "'" + composeName
                    + "' is built from source and has no image: castle builds no images. Its image is the placeholder "
                    + "replace.me/" + system + "/" + castleName + ":0.1.0: push the image you build and put its name here");
        } else {
            ImageRef image = ImageRef.parse(imageText.get());
            if (image.pinned()) {
                out.put("image", imageText.get().trim());
            } else {
                String placeholder = image.registry() + "/" + image.repository() + ":pin-a-version";
                out.put("image", placeholder);
                finding(node, "image", Finding.Kind.changed, "image " + imageText.get() + " names no version (castle refuses latest):"
                        + " replace the tag pin-a-version with the version you run");
            }
            node.get("build").ifPresent(b -> finding(node, "build", Finding.Kind.unmapped, "build: castle builds no images; "
                    + "the image " + imageText.get() + " is used"));
        }
        handled.add("pull_policy");
        Optional<String> pullPolicy = node.text("pull_policy");
        if (pullPolicy.filter(p -> p.equals("always")).isPresent() && out.get("image") instanceof String reference) {
            ImageRef image = ImageRef.parse(reference);
            Map<String, Object> long_ = new LinkedHashMap<>();
            long_.put("registry", image.registry());
            long_.put("repository", image.repository());
            image.tag().ifPresent(t -> long_.put("tag", t));
            image.digest().ifPresent(d -> long_.put("digest", d));
            long_.put("pullPolicy", "Always");
            out.put("image", long_);
        } else if (pullPolicy.filter(p -> !p.equals("missing") && !p.equals("if_not_present") && !p.equals("always")).isPresent()) {
            finding(node, "pull_policy", Finding.Kind.unmapped, "pull_policy " + pullPolicy.get()
                    + ": castle pulls images IfNotPresent, or Always (pull_policy: always)");
        }
        // command
        handled.add("entrypoint");
        handled.add("command");
        words(node, "entrypoint").ifPresent(w -> out.put("command", w));
        words(node, "command").ifPresent(w -> out.put("args", w));
        // ports
        handled.add("ports");
        handled.add("expose");
        if (!portList.isEmpty()) {
            Map<String, Object> portMap = new LinkedHashMap<>();
            for (PortOut p : portList) {
                if (p.servicePort() == p.port() && p.protocol().equals("TCP") && p.appProtocol().isEmpty()) {
                    portMap.put(p.name(), p.port());
                } else {
                    Map<String, Object> long_ = new LinkedHashMap<>();
                    long_.put("port", p.port());
                    if (p.servicePort() != p.port()) {
                        long_.put("servicePort", p.servicePort());
                    }
                    if (!p.protocol().equals("TCP")) {
                        long_.put("protocol", p.protocol());
                    }
                    if (!p.appProtocol().isEmpty() && p.appProtocol().matches("^[a-zA-Z0-9][-a-zA-Z0-9._/]*$")) {
                        long_.put("appProtocol", p.appProtocol());
                    }
                    portMap.put(p.name(), long_);
                }
            }
            out.put("ports", portMap);
        }
        // workload
        handled.add("restart");
        boolean job = portList.isEmpty() && node.text("restart").filter(r -> r.equals("no") || r.startsWith("on-failure")).isPresent();
        if (job) {
            out.put("workload", "Job");
            finding(node, "restart", Finding.Kind.changed, "'" + composeName + "' has no ports and restart: "
                    + node.text("restart").get() + ": it runs once, as a Job (run it as a hook with hooks: if others must wait for it)");
        }
        // environment
        handled.add("environment");
        handled.add("env_file");
        Map<String, Object> env = new LinkedHashMap<>();
        List<String> secretNames = new ArrayList<>();
        environment(node, composeName).forEach((variable, value) -> {
            if (!Names.ENV_NAME.matcher(variable.name()).matches()) {
                finding(variable.position(), variable.pointer(), Finding.Kind.unmapped, "variable name " + variable.name()
                        + " is not one castle accepts (letters, digits, '-', '.', '_')");
                return;
            }
            if (value == null) {
                finding(variable.position(), variable.pointer(), Finding.Kind.unmapped, "variable " + variable.name()
                        + " takes its value from the shell docker compose runs in: give it a value");
                return;
            }
            if (rewrite(composeName, variable, value)) {
                return;
            }
            if (Names.looksSecret(variable.name()) && value.matches("(?i)|true|false|yes|no|on|off|0|1")) {
                env.put(variable.name(), Map.of("value", value, "notSecret", true));
                return;
            }
            if (Names.looksSecret(variable.name())) {
                env.put(variable.name(), Map.of("secret", castleName + "-env", "key", variable.name()));
                secretNames.add(variable.name());
                return;
            }
            env.put(variable.name(), value);
        });
        if (!secretNames.isEmpty()) {
            finding(node, node.get("environment").isPresent() ? "environment" : "env_file", Finding.Kind.todo, "the values of "
                    + String.join(", ", secretNames) + " look like secrets and are not written into the descriptor: '" + castleName
                    + "' reads them from the Secret " + castleName + "-env; create it before installing: kubectl create secret generic "
                    + castleName + "-env " + secretNames.stream().map(n -> "--from-literal=" + n + "=...").reduce((a, b) -> a + " " + b).orElse(""));
        }
        outEnv.put(castleName, env);
        if (!env.isEmpty()) {
            out.put("env", env);
        }
        // depends_on and links
        handled.add("depends_on");
        handled.add("links");
        handled.add("external_links");
        dependsOn(composeName, node);
        node.seq("external_links").ifPresent(l -> finding(node, "external_links", Finding.Kind.unmapped,
                "external_links: containers outside the project; declare them as infrastructure with mode: external"));
        // probes
        handled.add("healthcheck");
        Map<String, Object> probes = probes(composeName, node, portList, job);
        if (!probes.isEmpty()) {
            out.put("probes", probes);
        }
        // volumes and storage
        handled.add("volumes");
        handled.add("tmpfs");
        Map<String, Object> volumes = volumes(composeName, node);
        boolean persistent = volumes.values().stream().anyMatch(v -> v instanceof Map<?, ?> m && m.containsKey("persistent"));
        if (!volumes.isEmpty()) {
            out.put("volumes", volumes);
        }
        // replicas and resources
        handled.add("deploy");
        handled.add("scale");
        handled.add("mem_limit");
        handled.add("mem_reservation");
        handled.add("cpus");
        Optional<Integer> replicas = node.map("deploy").flatMap(d -> d.text("replicas")).map(ComposeImporter::integer)
                .or(() -> node.text("scale").map(ComposeImporter::integer));
        if (!job) {
            if (persistent && replicas.orElse(1) > 1) {
                finding(node, "volumes", Finding.Kind.changed, "'" + composeName + "' keeps data in a volume and runs "
                        + replicas.get() + " replicas: castle runs it as a StatefulSet (a volume per pod)");
                out.put("workload", "StatefulSet");
                out.put("replicas", replicas.get());
            } else if (persistent) {
                out.put("replicas", 1);
            } else {
                replicas.ifPresent(r -> out.put("replicas", r));
            }
        }
        Map<String, Object> resources = resources(node);
        if (!resources.isEmpty()) {
            out.put("resources", resources);
        }
        node.map("deploy").ifPresent(deploy -> deploy.entries().keySet().stream()
                .filter(k -> !k.equals("replicas") && !k.equals("resources") && !k.startsWith("x-"))
                .forEach(k -> finding(deploy, k, Finding.Kind.unmapped, "deploy." + k + ": a Swarm setting castle does not map")));
        // security
        handled.add("user");
        handled.add("read_only");
        handled.add("cap_drop");
        handled.add("cap_add");
        Map<String, Object> security = security(composeName, node);
        if (!security.isEmpty()) {
            out.put("securityContext", security);
        }
        // lifecycle
        handled.add("stop_grace_period");
        node.text("stop_grace_period").flatMap(g -> Units.seconds(g, 1)).ifPresent(seconds -> {
            if (seconds > 5) {
                out.put("lifecycle", Map.of("terminationGracePeriodSeconds", seconds));
            } else {
                finding(node, "stop_grace_period", Finding.Kind.changed, "stop_grace_period of " + seconds
                        + " s is shorter than castle's 5 s preStop pause: castle's 30 s grace period is kept");
            }
        });
        handled.add("annotations");
        node.get("annotations").map(ComposeFiles::asMap).filter(SourceNode.Map.class::isInstance).map(SourceNode.Map.class::cast)
                .ifPresent(a -> {
                    Map<String, Object> annotations = new TreeMap<>();
                    a.entries().forEach((k, e) -> {
                        if (e.value() instanceof SourceNode.Scalar s && !s.isNull() && k.matches("^([a-z0-9.-]+/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")) {
                            annotations.put(k, s.text());
                        } else {
                            finding(e.keyPosition(), a.pointer() + "/" + SourceNode.escape(k), Finding.Kind.unmapped,
                                    "annotation " + k + " is not a Kubernetes annotation key");
                        }
                    });
                    if (!annotations.isEmpty()) {
                        out.put("podAnnotations", annotations);
                    }
                });
        handled.add("secrets");
        secrets(composeName, node, out);
        handled.add("profiles");
        handled.add("networks");
        handled.add("hostname");
        handled.add("container_name");
        node.text("container_name").ifPresent(c -> finding(node, "container_name", Finding.Kind.changed, "container_name " + c
                + ": in the cluster the pods of '" + castleName + "' are named by Kubernetes and its Service is <release>-" + castleName));
        node.text("hostname").filter(h -> !h.equals(composeName)).ifPresent(h -> finding(node, "hostname", Finding.Kind.unmapped, "hostname " + h
                + ": pods get their own host names; others reach '" + castleName + "' through its Service"));
        for (Map.Entry<String, SourceNode.Entry> entry : node.entries().entrySet()) {
            String key = entry.getKey();
            if (handled.contains(key) || key.startsWith("x-")) {
                continue;
            }
            finding(node, key, Finding.Kind.unmapped, unmappedReason(key));
        }
        extensions(node);
        outServices.put(castleName, out);
    }

    private static String unmappedReason(String key) {
        return switch (key) {
            case "labels" -> "labels are container metadata, often settings of a proxy (Traefik): use expose for routes, podLabels for labels";
            case "logging" -> "logging drivers are the cluster's: castle writes logs to stdout (observability.logs)";
            case "privileged" -> "privileged containers break every Pod Security profile castle targets";
            case "network_mode", "pid", "ipc", "uts", "userns_mode" -> key + ": sharing the host's or another container's namespace has no castle equivalent";
            case "extra_hosts", "dns", "dns_search", "dns_opt" -> key + ": name resolution is the cluster's DNS";
            case "configs" -> "configs: put the files under config.files (with config.mountPath) of the service";
            case "working_dir" -> "working_dir: castle keeps the image's working directory";
            case "devices", "gpus", "device_cgroup_rules" -> key + ": devices need a device plugin and placement, which castle does not write";
            case "init", "tty", "stdin_open", "attach" -> key + ": no castle equivalent";
            case "security_opt", "sysctls", "ulimits", "shm_size", "oom_score_adj", "oom_kill_disable" -> key + ": a kernel or runtime setting castle does not write";
            case "platform" -> "platform: choose nodes with placement.nodeSelector (kubernetes.io/arch)";
            case "extends" -> "extends: castle reads the merged files only; write the service out";
            case "volumes_from" -> "volumes_from: share data through a volume claim (volumes.<name>.claim)";
            case "stop_signal" -> "stop_signal: Kubernetes sends SIGTERM";
            case "develop" -> "develop: Compose Watch has no equivalent in a cluster";
            default -> "'" + key + "' has no castle equivalent";
        };
    }

    // ---- environment and references -------------------------------------------------------

    /** env_file entries first, then environment, later ones winning; positions of where each was written. */
    private Map<Variable, String> environment(SourceNode.Map node, String composeName) {
        Map<String, Variable> where = new LinkedHashMap<>();
        Map<String, String> values = new LinkedHashMap<>();
        node.get("env_file").ifPresent(envFile -> {
            List<SourceNode> items = envFile instanceof SourceNode.Seq seq ? seq.items() : List.of(envFile);
            for (SourceNode item : items) {
                String path;
                boolean required = true;
                if (item instanceof SourceNode.Map long_) {
                    path = long_.text("path").orElse("");
                    required = long_.get("required").filter(r -> r instanceof SourceNode.Scalar s && !s.isTrue()).isEmpty();
                } else {
                    path = ((SourceNode.Scalar) item).text();
                }
                Path file = ComposeFiles.relativeTo(item.position(), path);
                if (!java.nio.file.Files.isRegularFile(file) && !required) {
                    continue;
                }
                try {
                    EnvFile.read(file, item.position()).forEach((k, v) -> {
                        values.put(k, v);
                        where.put(k, new Variable(k, item.position(), item.pointer()));
                    });
                } catch (InvalidInputException e) {
                    e.diagnostics().forEach(d -> findings.add(new Finding(d.position(), item.pointer(), Finding.Kind.unmapped,
                            d.problem())));
                }
            }
        });
        node.get("environment").map(ComposeFiles::asMap).filter(SourceNode.Map.class::isInstance).map(SourceNode.Map.class::cast)
                .ifPresent(env -> env.entries().forEach((k, e) -> {
                    SourceNode.Scalar s = e.value() instanceof SourceNode.Scalar sc ? sc : null;
                    values.put(k, s == null || s.isNull() ? null : s.text());
                    where.put(k, new Variable(k, e.keyPosition(), env.pointer() + "/" + SourceNode.escape(k)));
                }));
        Map<Variable, String> result = new LinkedHashMap<>();
        values.forEach((k, v) -> result.put(where.get(k), v));
        return result;
    }

    /**
     * Whether the variable held an address or a credential of a service or component this one
     * calls: then it becomes a name castle injects, and the call is recorded. Other mentions of a
     * Compose host name are kept, with a finding.
     */
    private boolean rewrite(String caller, Variable variable, String value) {
        for (Map.Entry<String, String> alias : aliases.entrySet()) {
            String target = alias.getValue();
            if (target.equals(caller) || zookeepers.contains(target) || !services.containsKey(target)) {
                continue;
            }
            Matcher m = hostPattern(alias.getKey()).matcher(value);
            if (!m.find()) {
                continue;
            }
            Optional<Integer> port = Optional.ofNullable(m.group(1)).map(ComposeImporter::integer);
            String kind = addressKind(target, alias.getKey(), value, port);
            Optional<String> portName = portName(target, port);
            if (!datastores.containsKey(target) && ports.get(target).isEmpty()) {
                finding(variable.position(), variable.pointer(), Finding.Kind.changed, variable.name() + " refers to '" + target
                        + "', which has no port: kept as written");
                return false;
            }
            addCall(caller, target, false, portName, kind == null ? Map.of() : Map.of(kind, variable.name()));
            if (kind != null) {
                if (kind.equals("url") && datastores.containsKey(target)) {
                    finding(variable.position(), variable.pointer(), Finding.Kind.changed, variable.name() + " becomes the URL castle injects for "
                            + name(target) + ", which carries no credentials: they come in " + prefix(target) + "_USERNAME and "
                            + prefix(target) + "_PASSWORD");
                }
                return true;
            }
            finding(variable.position(), variable.pointer(), Finding.Kind.changed, variable.name() + " refers to '" + target
                    + "' by its Compose host name and is kept as written: in the cluster it answers at <release>-" + name(target)
                    + " (castle injects " + prefix(target) + "_HOST, " + prefix(target) + "_PORT and " + prefix(target)
                    + "_URL); use those, or rename them with dependsOn env");
            return false;
        }
        // credentials of a datastore this service calls
        for (Map.Entry<String, Map<String, String>> store : credentials.entrySet()) {
            Map<String, String> values = store.getValue();
            String upper = variable.name().toUpperCase(Locale.ROOT);
            boolean username = value.equals(values.get("username")) && upper.contains("USER");
            boolean password = !username && (Names.looksSecret(upper) || upper.contains("PASS"))
                    && values.entrySet().stream().anyMatch(e -> e.getKey().startsWith("password:") && e.getValue().equals(value));
            boolean portValue = value.equals(String.valueOf(Datastores.port(datastores.get(store.getKey()).type())))
                    && variable.name().toUpperCase(Locale.ROOT).endsWith("PORT") && calls(caller, store.getKey());
            if (password || username || portValue) {
                String kind = password ? "password" : username ? "username" : "port";
                addCall(caller, store.getKey(), false, Optional.empty(), Map.of(kind, variable.name()));
                if (password) {
                    finding(variable.position(), variable.pointer(), Finding.Kind.changed, variable.name()
                            + " held the password of '" + store.getKey() + "': castle injects the generated one from its Secret");
                }
                return true;
            }
        }
        return false;
    }

    private boolean calls(String caller, String callee) {
        return calls.stream().anyMatch(c -> c.caller().equals(name(caller)) && c.callee().equals(name(callee)))
                || services.get(caller).get("depends_on").map(ComposeFiles::asMap)
                .filter(d -> d instanceof SourceNode.Map m && m.entries().containsKey(callee)).isPresent();
    }

    private static Pattern hostPattern(String host) {
        return Pattern.compile("(?:^|[\\s,;=/@(\\[\"'])" + Pattern.quote(host) + "(?!://)(?::(\\d+))?(?=$|[\\s,;/:?)\\]\"'])");
    }

    /** Which injected variable the whole value is: host, url, port; null when it is more than an address. */
    private String addressKind(String target, String host, String value, Optional<Integer> port) {
        if (value.equals(host)) {
            return "host";
        }
        if (datastores.containsKey(target)) {
            String type = datastores.get(target).type();
            if (type.equals("kafka") && value.matches(Pattern.quote(host) + ":\\d+")) {
                return "url";
            }
            for (String scheme : Datastores.schemes(type)) {
                if (value.startsWith(scheme + "://")) {
                    return "url";
                }
            }
            return null;
        }
        Optional<PortOut> p = port.flatMap(n -> ports.get(target).stream().filter(x -> x.port() == n || x.servicePort() == n).findFirst())
                .or(() -> port.isEmpty() ? ports.get(target).stream().findFirst() : Optional.empty());
        if (p.isEmpty()) {
            return null;
        }
        if (!p.get().http() && value.equals(host + ":" + port.orElse(-1)) && p.get().servicePort() == port.get()) {
            return "url";
        }
        if (p.get().http() && value.equals("http://" + host + ":" + p.get().servicePort())) {
            return "url";
        }
        return null;
    }

    private Optional<String> portName(String target, Optional<Integer> port) {
        if (datastores.containsKey(target) || port.isEmpty()) {
            return Optional.empty();
        }
        List<PortOut> list = ports.get(target);
        Optional<PortOut> p = list.stream().filter(x -> x.port() == port.get() || x.servicePort() == port.get()).findFirst();
        return p.filter(x -> !list.isEmpty() && x != list.get(0)).map(PortOut::name);
    }

    private String prefix(String composeName) {
        return name(composeName).toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private void addCall(String caller, String callee, boolean startup, Optional<String> port, Map<String, String> env) {
        calls.add(new Wiring.Call(name(caller), name(callee), startup, port, env));
    }

    private void dependsOn(String composeName, SourceNode.Map node) {
        node.get("depends_on").map(ComposeFiles::asMap).filter(SourceNode.Map.class::isInstance).map(SourceNode.Map.class::cast)
                .ifPresent(deps -> deps.entries().forEach((target, entry) -> {
                    String pointer = deps.pointer() + "/" + SourceNode.escape(target);
                    String condition = entry.value() instanceof SourceNode.Map m ? m.text("condition").orElse("service_started") : "service_started";
                    if (entry.value() instanceof SourceNode.Map m && m.get("required").filter(r -> r instanceof SourceNode.Scalar s && !s.isTrue()).isPresent()) {
                        finding(entry.keyPosition(), pointer, Finding.Kind.changed, "required: false: castle waits for '" + target
                                + "' all the same (or set startup: false)");
                    }
                    if (zookeepers.contains(target)) {
                        return;
                    }
                    if (!services.containsKey(target)) {
                        finding(entry.keyPosition(), pointer, Finding.Kind.unmapped, "depends on '" + target + "', which is not a service here");
                        return;
                    }
                    if (!datastores.containsKey(target) && ports.get(target).isEmpty()) {
                        finding(entry.keyPosition(), pointer, Finding.Kind.unmapped, "waits for '" + target + "' (" + condition
                                + "), which has no port: castle waits only for what accepts connections"
                                + (condition.equals("service_completed_successfully")
                                ? "; make '" + target + "' a hook of this service (hooks: pre-install, pre-upgrade)" : ""));
                        return;
                    }
                    addCall(composeName, target, true, Optional.empty(), Map.of());
                }));
        node.seq("links").ifPresent(links -> links.items().forEach(l -> {
            if (l instanceof SourceNode.Scalar s) {
                String target = s.text().contains(":") ? s.text().substring(0, s.text().indexOf(':')) : s.text();
                if (services.containsKey(target) && (datastores.containsKey(target) || !ports.get(target).isEmpty())) {
                    addCall(composeName, target, false, Optional.empty(), Map.of());
                }
            }
        }));
        for (String key : List.of("command", "entrypoint")) {
            words(node, key).ifPresent(words -> words.forEach(word -> aliases.forEach((alias, target) -> {
                if (!target.equals(composeName) && services.containsKey(target) && !zookeepers.contains(target)
                        && (datastores.containsKey(target) || !ports.get(target).isEmpty()) && Wiring.addressIn(word, alias)) {
                    addCall(composeName, target, false, Optional.empty(), Map.of());
                }
            })));
        }
    }

    // ---- probes ----------------------------------------------------------------------------

    private Map<String, Object> probes(String composeName, SourceNode.Map node, List<PortOut> portList, boolean job) {
        Map<String, Object> probes = new LinkedHashMap<>();
        Optional<SourceNode.Map> health = node.map("healthcheck");
        boolean disabled = health.flatMap(h -> h.get("disable")).filter(d -> d instanceof SourceNode.Scalar s && s.isTrue()).isPresent()
                || health.flatMap(h -> h.seq("test")).filter(t -> !t.items().isEmpty() && t.items().get(0) instanceof SourceNode.Scalar s
                && s.text().equals("NONE")).isPresent();
        Optional<List<String>> command = health.filter(h -> !disabled).flatMap(h -> h.get("test")).flatMap(test -> {
            if (test instanceof SourceNode.Scalar s) {
                return Optional.of(List.of("sh", "-c", s.text()));
            }
            List<String> items = ((SourceNode.Seq) test).items().stream().map(i -> i instanceof SourceNode.Scalar s ? s.text() : "").toList();
            if (items.isEmpty()) {
                return Optional.empty();
            }
            return switch (items.get(0)) {
                case "CMD" -> items.size() > 1 ? Optional.of(items.subList(1, items.size())) : Optional.empty();
                case "CMD-SHELL" -> Optional.of(List.of("sh", "-c", String.join(" ", items.subList(1, items.size()))));
                default -> Optional.of(items);
            };
        });
        if (job) {
            health.ifPresent(h -> finding(node, "healthcheck", Finding.Kind.unmapped, "a Job has no probes: healthcheck left out"));
            return probes;
        }
        if (command.isPresent()) {
            SourceNode.Map h = health.get();
            int period = h.text("interval").flatMap(d -> Units.seconds(d, 1)).orElse(30);
            int timeout = h.text("timeout").flatMap(d -> Units.seconds(d, 1)).orElse(30);
            int retries = h.text("retries").map(ComposeImporter::integer).filter(r -> r > 0).orElse(3);
            Optional<Integer> start = h.text("start_period").flatMap(d -> Units.seconds(d, 0)).filter(s -> s > 0);
            Map<String, Object> readiness = new LinkedHashMap<>();
            readiness.put("exec", command.get());
            readiness.put("periodSeconds", period);
            readiness.put("timeoutSeconds", timeout);
            readiness.put("failureThreshold", retries);
            Map<String, Object> liveness = new LinkedHashMap<>(readiness);
            liveness.put("failureThreshold", retries * 2);
            start.ifPresent(s -> liveness.put("initialDelaySeconds", s));
            probes.put("liveness", liveness);
            probes.put("readiness", readiness);
            h.entries().keySet().stream().filter(k -> !List.of("test", "interval", "timeout", "retries", "start_period", "disable").contains(k))
                    .forEach(k -> finding(h, k, Finding.Kind.unmapped, "healthcheck." + k + ": no probe setting of that kind"));
            finding(h, Finding.Kind.changed, "the healthcheck of '" + composeName + "' is the readiness probe; the liveness probe "
                    + "runs the same command and gives up after twice as many failures");
        } else if (portList.isEmpty()) {
            probes.putAll(ProcessProbes.probes());
            finding(node, Finding.Kind.changed, "'" + composeName + "' has neither ports nor a healthcheck: " + ProcessProbes.NOTE);
        } else {
            String main = portList.get(0).name();
            probes.put("liveness", Map.of("tcp", main));
            probes.put("readiness", Map.of("tcp", main, "periodSeconds", 5));
        }
        return probes;
    }

    // ---- volumes, resources, security, secrets ---------------------------------------------

    private Map<String, Object> volumes(String composeName, SourceNode.Map node) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<SourceNode> items = new ArrayList<>(node.seq("volumes").map(SourceNode.Seq::items).orElse(List.of()));
        node.get("tmpfs").ifPresent(t -> {
            if (t instanceof SourceNode.Seq seq) {
                items.addAll(seq.items().stream().map(i -> (SourceNode) new SourceNode.Map(i.position(), i.pointer(),
                        Map.of("type", new SourceNode.Entry(i.position(), new SourceNode.Scalar(i.position(), i.pointer(), "tmpfs", SourceNode.Type.STRING)),
                                "target", new SourceNode.Entry(i.position(), new SourceNode.Scalar(i.position(), i.pointer(),
                                        ((SourceNode.Scalar) i).text().split(":")[0], SourceNode.Type.STRING))))).toList());
            } else if (t instanceof SourceNode.Scalar s) {
                items.add(new SourceNode.Map(s.position(), s.pointer(), Map.of(
                        "type", new SourceNode.Entry(s.position(), new SourceNode.Scalar(s.position(), s.pointer(), "tmpfs", SourceNode.Type.STRING)),
                        "target", new SourceNode.Entry(s.position(), new SourceNode.Scalar(s.position(), s.pointer(), s.text().split(":")[0], SourceNode.Type.STRING)))));
            }
        });
        int anonymous = 0;
        for (SourceNode item : items) {
            String type;
            String source;
            String target;
            boolean readOnly = false;
            if (item instanceof SourceNode.Map long_) {
                type = long_.text("type").orElse("volume");
                source = long_.text("source").orElse("");
                target = long_.text("target").orElse("");
                readOnly = long_.get("read_only").filter(r -> r instanceof SourceNode.Scalar s && s.isTrue()).isPresent();
            } else {
                String[] parts = ((SourceNode.Scalar) item).text().split(":");
                if (parts.length == 1) {
                    source = "";
                    target = parts[0];
                } else {
                    source = parts[0];
                    target = parts[1];
                    readOnly = parts.length > 2 && parts[2].contains("ro");
                }
                type = source.isEmpty() ? "volume" : source.startsWith(".") || source.startsWith("/") || source.startsWith("~") ? "bind" : "volume";
            }
            if (!target.startsWith("/")) {
                finding(item, Finding.Kind.unmapped, "volume without an absolute target path");
                continue;
            }
            if (target.equals("/tmp")) {
                finding(item, Finding.Kind.changed, "/tmp: castle mounts an emptyDir at /tmp itself");
                continue;
            }
            Map<String, Object> volume = new LinkedHashMap<>();
            volume.put("mountPath", target);
            if (readOnly) {
                volume.put("readOnly", true);
            }
            String volumeName;
            switch (type) {
                case "bind" -> {
                    finding(item, Finding.Kind.unmapped, "bind mount of " + source + " at " + target + ": a cluster has no such host path; "
                            + "for configuration files use config.files with config.mountPath, for data a persistent volume");
                    continue;
                }
                case "tmpfs" -> {
                    volumeName = "tmpfs-" + (++anonymous);
                    volume.put("emptyDir", Map.of("medium", "Memory"));
                }
                case "volume" -> {
                    if (source.isEmpty()) {
                        volumeName = "scratch-" + (++anonymous);
                        volume.put("emptyDir", Map.of());
                    } else {
                        volumeName = Names.dnsLabel(source, 40);
                        if (volumeName.equals("tmp") || volumeName.startsWith("config") || volumeName.startsWith("secret-")) {
                            volumeName = "data-" + volumeName;
                            volumeName = volumeName.substring(0, Math.min(40, volumeName.length())).replaceAll("-+$", "");
                        }
                        if (externalVolumes.contains(source)) {
                            volume.put("claim", Names.dnsLabel(source, 63));
                            finding(item, Finding.Kind.todo, "external volume " + source + " is the existing PersistentVolumeClaim "
                                    + Names.dnsLabel(source, 63) + ": create it in the namespace");
                        } else {
                            volume.put("persistent", Map.of("size", "1Gi"));
                            finding(item, Finding.Kind.changed, "volume " + source + " becomes a 1Gi PersistentVolumeClaim: set its size");
                        }
                    }
                }
                default -> {
                    finding(item, Finding.Kind.unmapped, "a volume of type " + type + " has no castle equivalent");
                    continue;
                }
            }
            String unique = volumeName;
            for (int i = 2; out.containsKey(unique); i++) {
                unique = volumeName + "-" + i;
            }
            out.put(unique, volume);
        }
        return out;
    }

    private final Set<String> externalVolumes = new TreeSet<>();

    private Map<String, Object> resources(SourceNode.Map node) {
        Map<String, String> limits = new LinkedHashMap<>();
        Map<String, String> requests = new LinkedHashMap<>();
        Optional<SourceNode.Map> res = node.map("deploy").flatMap(d -> d.map("resources"));
        res.flatMap(r -> r.map("limits")).ifPresent(l -> {
            l.text("cpus").flatMap(Units::cpu).ifPresent(c -> limits.put("cpu", c));
            l.text("memory").flatMap(Units::memory).ifPresent(m -> limits.put("memory", m));
            l.entries().keySet().stream().filter(k -> !k.equals("cpus") && !k.equals("memory"))
                    .forEach(k -> finding(l, k, Finding.Kind.unmapped, "resource limit " + k + " has no castle equivalent"));
        });
        res.flatMap(r -> r.map("reservations")).ifPresent(l -> {
            l.text("cpus").flatMap(Units::cpu).ifPresent(c -> requests.put("cpu", c));
            l.text("memory").flatMap(Units::memory).ifPresent(m -> requests.put("memory", m));
            l.entries().keySet().stream().filter(k -> !k.equals("cpus") && !k.equals("memory"))
                    .forEach(k -> finding(l, k, Finding.Kind.unmapped, "resource reservation " + k + " has no castle equivalent"));
        });
        node.text("cpus").flatMap(Units::cpu).ifPresent(c -> limits.putIfAbsent("cpu", c));
        node.text("mem_limit").flatMap(Units::memory).ifPresent(m -> limits.putIfAbsent("memory", m));
        node.text("mem_reservation").flatMap(Units::memory).ifPresent(m -> requests.putIfAbsent("memory", m));
        if (limits.isEmpty() && requests.isEmpty()) {
            return Map.of();
        }
        // castle's default requests (100m, 128Mi) must not exceed a limit written here
        Map<String, String> defaults = Map.of("cpu", "100m", "memory", "128Mi");
        limits.forEach((k, limit) -> {
            String request = requests.getOrDefault(k, defaults.get(k));
            if (Units.magnitude(request) > Units.magnitude(limit)) {
                requests.put(k, limit);
            }
        });
        requests.forEach((k, request) -> {
            String limit = limits.get(k);
            if (limit != null && Units.magnitude(request) > Units.magnitude(limit)) {
                requests.put(k, limit);
            }
        });
        Map<String, Object> out = new LinkedHashMap<>();
        if (!requests.isEmpty()) {
            out.put("requests", requests);
        }
        if (!limits.isEmpty()) {
            out.put("limits", limits);
        }
        return out;
    }

    private Map<String, Object> security(String composeName, SourceNode.Map node) {
        Map<String, Object> out = new LinkedHashMap<>();
        node.text("user").ifPresent(user -> {
            Matcher m = Pattern.compile("^(\\d+)(?::(\\d+))?$").matcher(user.trim());
            if (user.equals("root") || user.startsWith("root:") || m.matches() && m.group(1).equals("0")) {
                out.put("runAsNonRoot", false);
                out.put("runAsUser", 0);
                finding(node, "user", Finding.Kind.changed, "'" + composeName + "' runs as root, as the Compose file says: "
                        + "a relaxation of the restricted profile; drop it if the image can run as another user");
            } else if (m.matches()) {
                out.put("runAsUser", Long.parseLong(m.group(1)));
                if (m.group(2) != null) {
                    out.put("runAsGroup", Long.parseLong(m.group(2)));
                }
            } else {
                finding(node, "user", Finding.Kind.unmapped, "user " + user + ": Kubernetes needs a numeric user id (securityContext.runAsUser)");
            }
        });
        node.seq("cap_add").ifPresent(caps -> caps.items().forEach(c -> {
            String cap = c instanceof SourceNode.Scalar s ? s.text().toUpperCase(Locale.ROOT).replaceFirst("^CAP_", "") : "";
            if (cap.equals("NET_BIND_SERVICE")) {
                out.put("addCapabilities", List.of("NET_BIND_SERVICE"));
            } else {
                finding(c, Finding.Kind.unmapped, "capability " + cap + ": castle adds only NET_BIND_SERVICE (restricted profile)");
            }
        }));
        if (node.get("read_only").filter(r -> r instanceof SourceNode.Scalar s && s.isTrue()).isEmpty() && !out.containsKey("runAsNonRoot")) {
            finding(node, Finding.Kind.changed, "'" + composeName + "' runs with a read-only root filesystem (an emptyDir at /tmp) "
                    + "as a non-root user" + (out.containsKey("runAsUser") ? "" : " (uid 10001)")
                    + ", where Compose gave it a writable one as the image's user: if it writes elsewhere, add a volume there "
                    + "or relax securityContext (readOnlyRootFilesystem: false, runAsUser)");
        }
        return out;
    }

    /**
     * A service's Compose secrets: the keys of one Secret, those under /run/secrets as a folder
     * there, any other absolute target as a single file at its path ({@code mounts}).
     */
    private void secrets(String composeName, SourceNode.Map node, Map<String, Object> out) {
        Optional<SourceNode.Seq> list = node.seq("secrets");
        if (list.isEmpty() || list.get().items().isEmpty()) {
            return;
        }
        String secret = name(composeName) + "-secrets";
        java.util.Set<String> fromFiles = new java.util.LinkedHashSet<>();
        boolean folder = false;
        Map<String, String> mounts = new LinkedHashMap<>();
        for (SourceNode item : list.get().items()) {
            String source = item instanceof SourceNode.Map m ? m.text("source").orElse("") : ((SourceNode.Scalar) item).text();
            String target = item instanceof SourceNode.Map m ? m.text("target").orElse(source) : source;
            String key;
            if (target.startsWith("/") && !target.startsWith("/run/secrets/")) {
                key = source;
                mounts.put(key, target);
            } else {
                key = target.replaceFirst("^/run/secrets/", "");
                folder = true;
            }
            fromFiles.add("--from-file=" + key + "=" + topSecrets.getOrDefault(source, "FILE"));
        }
        Map<String, Object> reference = new LinkedHashMap<>();
        if (folder) {
            reference.put("mountPath", "/run/secrets");
        }
        if (!mounts.isEmpty()) {
            reference.put("mounts", mounts);
        }
        out.put("secrets", Map.of(secret, reference));
        finding(node, "secrets", Finding.Kind.todo, "the Compose secrets of '" + composeName + "' are the keys of the Secret "
                + secret + (folder ? ", mounted at /run/secrets" : "")
                + mounts.entrySet().stream().map(e -> ", " + e.getKey() + " as the file " + e.getValue()).reduce("", String::concat)
                + "; create it before installing: kubectl create secret generic " + secret + " " + String.join(" ", fromFiles));
    }

    private final Map<String, String> topSecrets = new LinkedHashMap<>();

    // ---- project level ---------------------------------------------------------------------

    /**
     * Networks say something when they separate services: an edge between two services that share
     * no network could not work in Compose (reported), and a network of exactly two services, one
     * of them a datastore, is a call from the other one. Other networks: castle's NetworkPolicies
     * allow exactly the calls, which is stricter than a shared network.
     */
    private void networks(SourceNode.Map project) {
        Map<String, Set<String>> members = new TreeMap<>();
        services.forEach((composeName, node) -> {
            Optional<SourceNode> nets = node.get("networks").map(ComposeFiles::asMap);
            if (nets.isEmpty() || !(nets.get() instanceof SourceNode.Map m) || m.entries().isEmpty()) {
                members.computeIfAbsent("default", k -> new TreeSet<>()).add(composeName);
            } else {
                m.entries().keySet().forEach(n -> members.computeIfAbsent(n, k -> new TreeSet<>()).add(composeName));
            }
        });
        for (Map.Entry<String, Set<String>> net : members.entrySet()) {
            List<String> list = new ArrayList<>(net.getValue());
            list.removeAll(zookeepers);
            if (list.size() == 2) {
                String a = list.get(0);
                String b = list.get(1);
                String caller = datastores.containsKey(b) && !datastores.containsKey(a) ? a : datastores.containsKey(a) && !datastores.containsKey(b) ? b : null;
                String callee = caller == null ? null : caller.equals(a) ? b : a;
                if (caller != null && !calls(caller, callee)) {
                    addCall(caller, callee, false, Optional.empty(), Map.of());
                    Position at = project.map("networks").map(n -> n.keyPosition(net.getKey())).orElse(services.get(caller).position());
                    findings.add(new Finding(at, "/networks/" + SourceNode.escape(net.getKey()), Finding.Kind.changed, "network "
                            + net.getKey() + " joins only '" + caller + "' and the datastore '" + callee + "': a call from one to the other"));
                }
            }
        }
        for (Wiring.Call call : calls) {
            String caller = composeName(call.caller());
            String callee = composeName(call.callee());
            boolean shared = members.values().stream().anyMatch(s -> s.contains(caller) && s.contains(callee));
            if (!shared) {
                finding(services.get(caller), Finding.Kind.changed, "'" + caller + "' calls '" + callee
                        + "', but they share no Compose network: the call is kept (castle allows exactly the declared calls)");
            }
        }
        project.map("networks").ifPresent(nets -> nets.entries().forEach((net, e) -> finding(nets, net, Finding.Kind.changed,
                "network " + net + " (" + String.join(", ", members.getOrDefault(net, Set.of())) + "): castle's NetworkPolicies "
                        + "allow only the declared calls between services, not everything on a network"
                        + (e.value() instanceof SourceNode.Map m && !m.entries().isEmpty() ? "; its settings ("
                        + String.join(", ", m.entries().keySet()) + ") have no equivalent" : ""))));
    }

    /**
     * A service with ports that no call reaches: castle's NetworkPolicies let nothing in but the
     * declared calls, so say so (Compose let every service on a network reach it).
     */
    private void unreached() {
        outServices.forEach((castleName, service) -> {
            String composeName = composeName(castleName);
            if (!hasPorts(castleName) || calls.stream().anyMatch(c -> c.callee().equals(castleName))) {
                return;
            }
            finding(services.get(composeName), Finding.Kind.todo, "nothing in the Compose file says who calls '" + composeName
                    + "': castle's NetworkPolicies let no other service reach it; add dependsOn: [" + castleName
                    + "] to its callers" + (services.get(composeName).get("ports").isPresent()
                    ? " (clients outside reach it once it is exposed)" : ""));
        });
    }

    private String composeName(String castleName) {
        return names.entrySet().stream().filter(e -> e.getValue().equals(castleName)).map(Map.Entry::getKey).findFirst().orElse(castleName);
    }

    private void wire() {
        for (Map.Entry<String, Object> entry : outServices.entrySet()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> service = (Map<String, Object>) entry.getValue();
            List<Wiring.Call> mine = calls.stream().filter(c -> c.caller().equals(entry.getKey()))
                    .filter(c -> outServices.containsKey(c.callee()) && hasPorts(c.callee()) || outInfrastructure.containsKey(c.callee()))
                    .toList();
            List<Object> dependsOn = Wiring.dependsOn(entry.getKey(), mine, outInfrastructure,
                    outEnv.getOrDefault(entry.getKey(), Map.of()).keySet());
            if (!dependsOn.isEmpty()) {
                service.put("dependsOn", dependsOn);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private boolean hasPorts(String castleName) {
        return outServices.get(castleName) instanceof Map<?, ?> m && ((Map<String, Object>) m).containsKey("ports");
    }

    /**
     * Compose profiles become environments: {@code default} runs the services without a profile
     * (what {@code docker compose up} starts), and each profile an environment with those plus its
     * own (what {@code --profile P} starts), keeping what they depend on.
     */
    private Map<String, Object> profiles() {
        Map<String, Set<String>> byProfile = new TreeMap<>();
        Set<String> profiled = new TreeSet<>();
        services.forEach((composeName, node) -> node.seq("profiles").ifPresent(p -> p.items().forEach(i -> {
            if (i instanceof SourceNode.Scalar s) {
                byProfile.computeIfAbsent(s.text(), k -> new TreeSet<>()).add(composeName);
                profiled.add(composeName);
            }
        })));
        Map<String, Object> environments = new LinkedHashMap<>();
        if (profiled.isEmpty()) {
            return environments;
        }
        Map<String, Set<String>> runs = new LinkedHashMap<>();
        Set<String> plain = new TreeSet<>(services.keySet());
        plain.removeAll(profiled);
        runs.put("default", plain);
        byProfile.forEach((profile, members) -> {
            Set<String> all = new TreeSet<>(plain);
            all.addAll(members);
            runs.put(profile, all);
        });
        Set<String> usedNames = new TreeSet<>();
        runs.forEach((profile, running) -> {
            String env = Names.dnsLabel(profile, 40);
            if (!usedNames.add(env)) {
                return;
            }
            Set<String> closure = closure(running);
            Map<String, Object> servicesOff = new TreeMap<>();
            Map<String, Object> infraOff = new TreeMap<>();
            for (String composeName : services.keySet()) {
                if (closure.contains(composeName) || zookeepers.contains(composeName)) {
                    continue;
                }
                (datastores.containsKey(composeName) ? infraOff : servicesOff).put(name(composeName), Map.of("enabled", false));
            }
            Map<String, Object> environment = new LinkedHashMap<>();
            if (!servicesOff.isEmpty()) {
                environment.put("services", servicesOff);
            }
            if (!infraOff.isEmpty()) {
                environment.put("infrastructure", infraOff);
            }
            environments.put(env, environment);
        });
        SourceNode.Map first = services.get(profiled.iterator().next());
        finding(first, "profiles", Finding.Kind.changed, "profiles become environments: default (the services without a profile)"
                + byProfile.keySet().stream().map(p -> ", " + Names.dnsLabel(p, 40)).reduce("", String::concat)
                + " (those plus the profile's own), each keeping what its services call");
        return environments;
    }

    private Set<String> closure(Set<String> running) {
        Set<String> all = new TreeSet<>(running);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Wiring.Call call : calls) {
                if (all.contains(composeName(call.caller())) && all.add(composeName(call.callee()))) {
                    grew = true;
                }
            }
        }
        return all;
    }

    private void topLevel(SourceNode.Map project) {
        project.entries().forEach((key, entry) -> {
            switch (key) {
                case "services", "networks", "name" -> { }
                case "version" -> finding(project, key, Finding.Kind.unmapped, "version: obsolete in Compose, and ignored");
                case "volumes" -> {
                    if (entry.value() instanceof SourceNode.Map vols) {
                        vols.entries().forEach((v, e) -> {
                            if (e.value() instanceof SourceNode.Map m && !m.entries().isEmpty()
                                    && !(m.entries().size() == 1 && m.entries().containsKey("external"))) {
                                finding(vols, v, Finding.Kind.unmapped, "volume " + v + ": its settings (" + String.join(", ", m.entries().keySet())
                                        + ") are the storage class's business in a cluster (volumes.<name>.persistent.storageClass)");
                            }
                        });
                    }
                }
                case "secrets" -> { }
                default -> {
                    if (key.startsWith("x-")) {
                        finding(project, key, Finding.Kind.unmapped, key + ": an extension field; whatever it held is merged where it was used");
                    } else {
                        finding(project, key, Finding.Kind.unmapped, "'" + key + "' has no castle equivalent");
                    }
                }
            }
        });
    }

    private void extensions(SourceNode.Map node) {
        node.entries().keySet().stream().filter(k -> k.startsWith("x-")).forEach(k -> finding(node, k, Finding.Kind.unmapped,
                k + ": an extension field, not read by castle"));
    }

    // ---- helpers ---------------------------------------------------------------------------

    private Optional<List<String>> words(SourceNode.Map node, String key) {
        Optional<SourceNode> value = node.get(key);
        if (value.isEmpty() || value.get() instanceof SourceNode.Scalar s && s.isNull()) {
            return Optional.empty();
        }
        if (value.get() instanceof SourceNode.Scalar s) {
            try {
                return Optional.of(Shell.split(s.text()));
            } catch (IllegalArgumentException e) {
                finding(node, key, Finding.Kind.unmapped, key + ": " + e.getMessage() + "; write it as a list");
                return Optional.empty();
            }
        }
        return Optional.of(((SourceNode.Seq) value.get()).items().stream()
                .map(i -> i instanceof SourceNode.Scalar s ? s.text() : "").toList());
    }

    static Integer integer(String text) {
        try {
            return Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void finding(SourceNode node, Finding.Kind kind, String message) {
        findings.add(new Finding(node.position(), node.pointer(), kind, message));
    }

    private void finding(SourceNode.Map node, String key, Finding.Kind kind, String message) {
        findings.add(new Finding(node.keyPosition(key), node.pointer() + "/" + SourceNode.escape(key), kind, message));
    }

    private void finding(Position position, String pointer, Finding.Kind kind, String message) {
        findings.add(new Finding(position, pointer, kind, message));
    }
}
