package dev.castle.validate;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.castle.load.Diagnostic;
import dev.castle.load.Node;
import dev.castle.load.Position;

/**
 * Rules a JSON Schema cannot express: names that stay valid once Helm prefixes them with the
 * release name, references between fields (probe ports, config keys, env names), workload-kind
 * specific fields, and secrets written in plain text by accident. Runs on a schema-valid tree.
 */
final class SemanticRules {
    static final int MAX_NAME = 63;
    /** StatefulSet pods get a controller-revision-hash label of name + 11 characters; CronJobs' Jobs add 11. */
    static final int MAX_NAME_STATEFUL_OR_CRON = 52;
    static final String HEADLESS_SUFFIX = "-headless";
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(^|_)(PASSWORD|PASSWD|PWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)(_|$)");
    private static final long MAX_CONFIG_BYTES = 1_000_000;

    private final Node root;
    private final Path baseDir;
    private final List<Diagnostic> problems = new ArrayList<>();

    SemanticRules(Node root, Path baseDir) {
        this.root = root;
        this.baseDir = baseDir;
    }

    List<Diagnostic> check() {
        Node.MapNode doc = (Node.MapNode) root;
        String system = scalar(doc, "metadata", "name").orElse("");
        checkSystemName(doc);
        map(doc, "services").ifPresent(services -> services.entries().forEach((name, entry) ->
                checkService(system, name, entry, (Node.MapNode) entry.value())));
        map(doc, "infrastructure").ifPresent(infrastructure -> infrastructure.entries().forEach((name, entry) ->
                checkInfrastructure(system, name, entry, (Node.MapNode) entry.value())));
        problems.addAll(new GraphRules(doc).check());
        return problems;
    }

    /**
     * The per-entry rules, for services and components without schema problems, when the schema
     * found problems elsewhere. Rules across entries (the graph) wait for a schema-valid file.
     */
    List<Diagnostic> checkEntriesWithout(List<Diagnostic> schemaProblems) {
        Node.MapNode doc = (Node.MapNode) root;
        boolean metadataOk = schemaProblems.stream().noneMatch(d -> d.pointer().equals("/") || d.pointer().startsWith("/metadata"));
        String system = metadataOk ? scalar(doc, "metadata", "name").orElse("") : "";
        if (metadataOk) {
            checkSystemName(doc);
        }
        for (String section : List.of("services", "infrastructure")) {
            if (schemaProblems.stream().anyMatch(d -> d.pointer().equals("/" + section))) {
                continue;
            }
            map(doc, section).ifPresent(entries -> entries.entries().forEach((name, entry) -> {
                String pointer = "/" + section + "/" + Node.escapePointerToken(name);
                boolean broken = schemaProblems.stream().anyMatch(d -> d.pointer().equals(pointer) || d.pointer().startsWith(pointer + "/"));
                if (broken || !(entry.value() instanceof Node.MapNode value)) {
                    return;
                }
                try {
                    if (section.equals("services")) {
                        checkService(system, name, entry, value);
                    } else {
                        checkInfrastructure(system, name, entry, value);
                    }
                } catch (RuntimeException e) {
                    // an entry the rules cannot read is already reported by the schema
                }
            }));
        }
        return problems;
    }

    private void checkInfrastructure(String system, String name, Node.Entry entry, Node.MapNode infra) {
        String mode = scalar(infra, "mode").orElse("embedded");
        String fullname = system + "-" + name;
        if (mode.equals("embedded") && (fullname + HEADLESS_SUFFIX).length() > MAX_NAME) {
            report(entry.keyPosition(), infra.pointer(), "the resource name '" + fullname + HEADLESS_SUFFIX + "' has "
                    + (fullname + HEADLESS_SUFFIX).length() + " characters", "at most " + MAX_NAME + "; shorten the component name");
        }
        Map<String, List<String>> onlyFor = Map.of(
                "host", List.of("external"), "port", List.of("external"), "tls", List.of("external"), "cidr", List.of("external"),
                "chart", List.of("chart"), "secret", List.of("external", "chart"),
                "storage", List.of("embedded"), "version", List.of("embedded"), "image", List.of("embedded"),
                "resources", List.of("embedded"));
        onlyFor.forEach((key, modes) -> {
            if (infra.entries().containsKey(key) && !modes.contains(mode)) {
                report(infra.entries().get(key).value(), key + " does not apply to mode " + mode,
                        key + " is for mode " + String.join(" or ", modes));
            }
        });
        if (mode.equals("external") && !infra.entries().containsKey("host")) {
            report(infra, "an external component needs its host", "host: db.example.com (and port, secret)");
        }
        String type = scalar(infra, "type").orElse("");
        if (mode.equals("embedded") && (type.equals("mysql") || type.equals("mongodb")) && scalar(infra, "username").filter("root"::equals).isPresent()) {
            report(infra.entries().get("username").value(), "the application user cannot be root",
                    "another user name; castle keeps the administrator account to itself");
        }
        if (mode.equals("chart") && !infra.entries().containsKey("chart")) {
            report(infra, "mode chart needs the chart", "chart: {repository, name, version}");
        }
    }

    private void checkService(String system, String name, Node.Entry entry, Node.MapNode s) {
        String workload = scalar(s, "workload").orElse("Deployment");
        boolean batch = workload.equals("Job") || workload.equals("CronJob");
        String fullname = system + "-" + name;
        int max = workload.equals("StatefulSet") || workload.equals("CronJob") ? MAX_NAME_STATEFUL_OR_CRON : MAX_NAME;
        String longest = fullname + (workload.equals("StatefulSet") ? HEADLESS_SUFFIX : "");
        if (fullname.length() > max || longest.length() > MAX_NAME) {
            report(entry.keyPosition(), s.pointer(), "the resource name '" + longest + "' (release name + '-' + service name) has "
                    + longest.length() + " characters", "at most " + Math.min(max, MAX_NAME - (longest.length() - fullname.length()))
                    + " characters for '" + fullname + "' with a " + workload + "; shorten the service name");
        }
        checkImage(s);
        Map<String, Node.ScalarNode> portNames = new LinkedHashMap<>();
        checkPorts(s, portNames);
        String serviceType = map(s, "service").flatMap(m -> scalar(m, "type")).orElse("ClusterIP");
        checkProbes(s, portNames, workload, batch);
        checkBatchFields(s, workload, batch);
        Set<String> configKeys = checkConfig(s);
        checkEnv(s, configKeys);
        checkResources(s);
        checkLifecycle(s, portNames);
        checkVolumes(s, workload, batch);
        checkSecurity(s);
        checkOperations(s, portNames, workload, batch, fullname);
        map(s, "disruptionBudget").ifPresent(pdb -> {
            if (pdb.entries().containsKey("minAvailable") && pdb.entries().containsKey("maxUnavailable")) {
                report(pdb, "both minAvailable and maxUnavailable are set", "exactly one of them");
            }
            if (pdb.entries().isEmpty()) {
                report(pdb, "a disruptionBudget needs minAvailable or maxUnavailable", "one of them, or false for none");
            }
        });
        if (batch && s.entries().containsKey("disruptionBudget")) {
            report(s.entries().get("disruptionBudget").value(), "a " + workload + " has no disruption budget",
                    "disruptionBudget only for Deployment and StatefulSet");
        }
        if (!serviceType.equals("NodePort") && !serviceType.equals("LoadBalancer")) {
            map(s, "ports").ifPresent(ports -> ports.entries().values().forEach(p -> {
                if (p.value() instanceof Node.MapNode long_ && long_.entries().containsKey("nodePort")) {
                    report(long_.entries().get("nodePort").value(), "nodePort needs a NodePort or LoadBalancer Service",
                            "set service.type to NodePort or LoadBalancer, or remove nodePort");
                }
            }));
        }
        if (portNames.isEmpty() && map(s, "service").flatMap(m -> scalar(m, "type")).filter(t -> !t.equals("None")).isPresent()) {
            report(map(s, "service").orElseThrow(), "a Service needs at least one port", "declare ports, or service.type None");
        }
    }

    private void checkImage(Node.MapNode s) {
        Node image = s.entries().get("image").value();
        String tag;
        String digest;
        if (image instanceof Node.ScalarNode scalar) {
            String reference = scalar.text();
            int at = reference.indexOf('@');
            digest = at >= 0 ? reference.substring(at + 1) : "";
            String rest = at >= 0 ? reference.substring(0, at) : reference;
            int colon = rest.lastIndexOf(':');
            tag = colon > rest.lastIndexOf('/') ? rest.substring(colon + 1) : "";
            String repository = colon > rest.lastIndexOf('/') ? rest.substring(0, colon) : rest;
            if (!repository.matches("^([a-zA-Z0-9.-]+(:[0-9]+)?/)?[a-z0-9]+([._-]*[a-z0-9]+)*(/[a-z0-9]+([._-]*[a-z0-9]+)*)*$")) {
                report(image, "'" + reference + "' is not a valid image reference",
                        "registry/repository:tag, such as ghcr.io/acme/frontend:1.4.2 (repository in lowercase)");
                return;
            }
            if (!digest.isEmpty() && !digest.matches("^[a-z0-9]+:[a-f0-9]{32,}$")) {
                report(image, "'" + digest + "' is not a valid image digest", "sha256: followed by 64 hex digits");
            }
        } else {
            Node.MapNode long_ = (Node.MapNode) image;
            tag = scalar(long_, "tag").orElse("");
            digest = scalar(long_, "digest").orElse("");
        }
        if (tag.isEmpty() && digest.isEmpty()) {
            report(image, "the image has neither a tag nor a digest", "pin a version: repository:1.2.3 or repository@sha256:...");
        } else if (tag.equals("latest")) {
            report(image, "the image tag 'latest' is not reproducible", "pin a version, such as 1.4.2, or a digest");
        }
    }

    private void checkPorts(Node.MapNode s, Map<String, Node.ScalarNode> names) {
        Map<String, String> containerPorts = new HashMap<>();
        Map<Integer, String> servicePorts = new HashMap<>();
        map(s, "ports").ifPresent(ports -> ports.entries().forEach((name, entry) -> {
            Node value = entry.value();
            int port;
            int servicePort;
            String protocol = "TCP";
            boolean exposed = true;
            if (value instanceof Node.ScalarNode scalar) {
                port = integer(scalar);
                servicePort = port;
            } else {
                Node.MapNode long_ = (Node.MapNode) value;
                port = scalar(long_, "port").map(SemanticRules::integer).orElse(0);
                servicePort = scalar(long_, "servicePort").map(SemanticRules::integer).orElse(port);
                protocol = scalar(long_, "protocol").orElse("TCP");
                exposed = scalar(long_, "expose").map(Scalars::booleanValue).orElse(true);
            }
            if (!name.matches(".*[a-z].*")) {
                report(entry.keyPosition(), value.pointer(), "port name '" + name + "' has no letter",
                        "an IANA service name: at most 15 lowercase letters, digits and '-', with at least one letter");
            }
            String key = port + "/" + protocol;
            if (containerPorts.containsKey(key)) {
                report(value, "container port " + key + " is used twice", "one port entry per number and protocol (also used by '"
                        + containerPorts.get(key) + "')");
            }
            containerPorts.put(key, name);
            if (exposed) {
                if (servicePorts.containsKey(servicePort) && protocol.equals("TCP")) {
                    report(value, "service port " + servicePort + " is used twice", "distinct service ports (also used by '"
                            + servicePorts.get(servicePort) + "')");
                }
                servicePorts.put(servicePort, name);
            }
            names.put(name, value instanceof Node.ScalarNode sc ? sc : null);
        }));
    }

    private void checkProbes(Node.MapNode s, Map<String, Node.ScalarNode> ports, String workload, boolean batch) {
        Node.MapNode probes = map(s, "probes").orElse(null);
        if (batch) {
            if (probes != null) {
                report(probes, "a " + workload + " has no probes", "probes only for Deployment and StatefulSet");
            }
            return;
        }
        if (ports.isEmpty()) {
            for (String kind : List.of("liveness", "readiness")) {
                Node probe = probes == null || !probes.entries().containsKey(kind) ? null : probes.entries().get(kind).value();
                if (probe == null) {
                    report(probes == null ? s : probes, "a " + workload + " without ports needs an explicit " + kind + " probe",
                            kind + ": {exec: [...]}, or " + kind + ": false to run without one");
                }
            }
        }
        if (probes == null) {
            return;
        }
        for (String kind : List.of("liveness", "readiness", "startup")) {
            map(probes, kind).ifPresent(probe -> {
                List<String> handlers = new ArrayList<>();
                for (String h : List.of("http", "tcp", "grpc", "exec")) {
                    if (probe.entries().containsKey(h)) {
                        handlers.add(h);
                    }
                }
                if (handlers.size() > 1) {
                    report(probe, "a probe has " + String.join(" and ", handlers), "exactly one of http, tcp, grpc, exec");
                }
                if (handlers.isEmpty() && ports.isEmpty()) {
                    report(probe, "the probe names no check and the service has no port to derive one from",
                            "one of http, tcp, grpc, exec");
                }
                if (!kind.equals("readiness")) {
                    scalar(probe, "successThreshold").filter(t -> integer(t) != 1).ifPresent(t -> report(
                            probe.entries().get("successThreshold").value(), kind + " successThreshold must be 1", "1"));
                }
                for (String h : List.of("http", "tcp", "grpc")) {
                    Node handler = probe.entries().containsKey(h) ? probe.entries().get(h).value() : null;
                    Node port = handler == null ? null
                            : handler instanceof Node.MapNode m ? (m.entries().containsKey("port") ? m.entries().get("port").value() : null)
                            : h.equals("http") ? null : handler;
                    if (handler != null && port == null && ports.isEmpty()) {
                        report(handler, "the " + h + " probe names no port and the service has none", "add a port");
                    }
                    if (port instanceof Node.ScalarNode p && p.type() == Node.ScalarType.STRING && !ports.containsKey(p.text())) {
                        report(p, "probe port '" + p.text() + "' is not a port of this service",
                                ports.isEmpty() ? "declare it under ports" : "one of: " + String.join(", ", ports.keySet()));
                    }
                }
            });
        }
    }

    private void checkBatchFields(Node.MapNode s, String workload, boolean batch) {
        boolean cron = workload.equals("CronJob");
        if (cron && !s.entries().containsKey("schedule")) {
            report(s.entries().containsKey("workload") ? s.entries().get("workload").value() : s,
                    "a CronJob needs a schedule", "schedule: \"*/15 * * * *\" (cron syntax)");
        }
        for (String key : List.of("schedule", "timeZone")) {
            if (!cron && s.entries().containsKey(key)) {
                report(s.entries().get(key).value(), key + " is only for a CronJob", "workload: CronJob, or remove " + key);
            }
        }
        if (!batch && s.entries().containsKey("job")) {
            report(s.entries().get("job").value(), "job settings are only for a Job or CronJob", "workload: Job or CronJob");
        }
        if (batch) {
            for (String key : List.of("replicas")) {
                if (s.entries().containsKey(key)) {
                    report(s.entries().get(key).value(), key + " is not for a " + workload, "use job.parallelism and job.completions");
                }
            }
            map(s, "service").flatMap(m -> scalar(m, "type")).filter(t -> !t.equals("None")).ifPresent(t ->
                    report(map(s, "service").orElseThrow(), "a " + workload + " gets no Service", "service.type None"));
        }
        if (!cron) {
            map(s, "job").ifPresent(job -> {
                for (String key : List.of("concurrencyPolicy", "startingDeadlineSeconds", "successfulJobsHistoryLimit",
                        "failedJobsHistoryLimit", "suspend")) {
                    if (job.entries().containsKey(key)) {
                        report(job.entries().get(key).value(), "job." + key + " is only for a CronJob", "workload: CronJob");
                    }
                }
            });
        }
    }

    private Set<String> checkConfig(Node.MapNode s) {
        Set<String> keys = new HashSet<>();
        map(s, "config").ifPresent(config -> {
            map(config, "data").ifPresent(data -> keys.addAll(data.entries().keySet()));
            long total = 0;
            Node.MapNode files = map(config, "files").orElse(null);
            if (files != null) {
                for (Map.Entry<String, Node.Entry> file : files.entries().entrySet()) {
                    Node.ScalarNode path = (Node.ScalarNode) file.getValue().value();
                    if (keys.contains(file.getKey())) {
                        report(file.getValue().keyPosition(), path.pointer(), "config key '" + file.getKey()
                                + "' is both in data and in files", "each key once");
                    }
                    keys.add(file.getKey());
                    Path resolved = baseDir.resolve(path.text()).normalize();
                    if (!Files.isRegularFile(resolved)) {
                        report(path, "config file '" + path.text() + "' does not exist (looked for " + resolved + ")",
                                "a path relative to the descriptor's folder");
                        continue;
                    }
                    try {
                        byte[] bytes = Files.readAllBytes(resolved);
                        total += bytes.length;
                        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                                .decode(java.nio.ByteBuffer.wrap(bytes));
                    } catch (CharacterCodingException e) {
                        report(path, "config file '" + path.text() + "' is not UTF-8 text", "a text file");
                    } catch (IOException e) {
                        report(path, "cannot read config file '" + path.text() + "': " + e.getMessage(), "a readable file");
                    }
                }
            }
            if (total > MAX_CONFIG_BYTES) {
                report(config, "config files add up to " + total + " bytes", "at most " + MAX_CONFIG_BYTES
                        + " bytes (a ConfigMap holds at most 1 MiB)");
            }
        });
        return keys;
    }

    private void checkEnv(Node.MapNode s, Set<String> configKeys) {
        map(s, "env").ifPresent(env -> env.entries().forEach((name, entry) -> {
            Node value = entry.value();
            if (value instanceof Node.ScalarNode literal) {
                if (SECRET_NAME.matcher(name.toUpperCase(Locale.ROOT)).find() && !literal.text().isEmpty()) {
                    report(entry.keyPosition(), value.pointer(), "'" + name + "' looks like a secret but is written as plain text",
                            "reference an existing Secret: " + name + ": {secret: NAME, key: KEY}; or, if it is no secret, "
                                    + name + ": {value: ..., notSecret: true}");
                }
                return;
            }
            Node.MapNode long_ = (Node.MapNode) value;
            if (long_.entries().containsKey("value") && SECRET_NAME.matcher(name.toUpperCase(Locale.ROOT)).find()
                    && !scalar(long_, "notSecret").map(Scalars::booleanValue).orElse(false)) {
                report(entry.keyPosition(), value.pointer(), "'" + name + "' looks like a secret but is written as plain text",
                        "reference an existing Secret with {secret: NAME, key: KEY}, or add notSecret: true");
            }
            scalar(long_, "config").filter(key -> !configKeys.contains(key)).ifPresent(key -> report(
                    long_.entries().get("config").value(), "'" + key + "' is not a key of this service's config",
                    configKeys.isEmpty() ? "add it under config.data" : "one of: " + String.join(", ", new java.util.TreeSet<>(configKeys))));
        }));
    }

    private void checkResources(Node.MapNode s) {
        map(s, "resources").ifPresent(resources -> {
            Node.MapNode requests = map(resources, "requests").orElse(null);
            Node.MapNode limits = map(resources, "limits").orElse(null);
            if (requests == null || limits == null) {
                return;
            }
            for (String name : List.of("cpu", "memory", "ephemeral-storage")) {
                BigDecimal request = scalar(requests, name).map(SemanticRules::quantity).orElse(null);
                BigDecimal limit = scalar(limits, name).map(SemanticRules::quantity).orElse(null);
                if (request != null && limit != null && limit.compareTo(request) < 0) {
                    report(limits.entries().get(name).value(), "the " + name + " limit is below the request",
                            "a limit at least " + scalar(requests, name).orElse(""));
                }
            }
        });
    }

    private void checkLifecycle(Node.MapNode s, Map<String, Node.ScalarNode> ports) {
        map(s, "lifecycle").ifPresent(lifecycle -> {
            int grace = scalar(lifecycle, "terminationGracePeriodSeconds").map(SemanticRules::integer).orElse(30);
            map(lifecycle, "preStop").flatMap(p -> scalar(p, "sleep")).map(SemanticRules::integer).filter(sleep -> sleep >= grace)
                    .ifPresent(sleep -> report(map(lifecycle, "preStop").orElseThrow(), "preStop sleeps " + sleep
                            + "s, as long as or longer than terminationGracePeriodSeconds (" + grace + "s)",
                            "a sleep shorter than the grace period, so the process still gets SIGTERM"));
            for (String hook : List.of("preStop", "postStart")) {
                map(lifecycle, hook).flatMap(h -> map(h, "http")).ifPresent(http -> {
                    Node port = http.entries().containsKey("port") ? http.entries().get("port").value() : null;
                    if (port == null && ports.isEmpty()) {
                        report(http, "the http hook names no port and the service has none", "add port");
                    }
                    if (port instanceof Node.ScalarNode p && p.type() == Node.ScalarType.STRING && !ports.containsKey(p.text())) {
                        report(p, "port '" + p.text() + "' is not a port of this service", "one of: " + String.join(", ", ports.keySet()));
                    }
                });
            }
        });
    }

    private void checkVolumes(Node.MapNode s, String workload, boolean batch) {
        Map<String, String> mountPaths = new HashMap<>();
        map(s, "config").flatMap(c -> scalar(c, "mountPath")).ifPresent(p -> mountPaths.put(p, "config"));
        map(s, "secrets").ifPresent(secrets -> secrets.entries().forEach((name, entry) -> {
            if (entry.value() instanceof Node.MapNode secret) {
                scalar(secret, "mountPath").ifPresent(path -> {
                    if (mountPaths.containsKey(path)) {
                        report(secret.entries().get("mountPath").value(), "mount path " + path + " is also used by "
                                + mountPaths.get(path), "a distinct folder per mount");
                    }
                    mountPaths.put(path, "secret " + name);
                });
            }
        }));
        int replicas = scalar(s, "replicas").map(SemanticRules::integer).orElse(2);
        map(s, "volumes").ifPresent(volumes -> volumes.entries().forEach((name, entry) -> {
            Node.MapNode volume = (Node.MapNode) entry.value();
            List<String> sources = new ArrayList<>();
            for (String source : List.of("emptyDir", "claim", "persistent")) {
                if (volume.entries().containsKey(source)) {
                    sources.add(source);
                }
            }
            if (sources.size() > 1) {
                report(volume, "volume '" + name + "' has " + String.join(" and ", sources), "exactly one of emptyDir, claim, persistent");
            }
            if (name.equals("tmp") || name.startsWith("config") || name.startsWith("secret-")) {
                report(entry.keyPosition(), volume.pointer(), "volume name '" + name + "' is reserved",
                        "another name; castle mounts tmp, config and secret-* itself");
            }
            scalar(volume, "mountPath").ifPresent(path -> {
                if (mountPaths.containsKey(path)) {
                    report(volume.entries().get("mountPath").value(), "mount path " + path + " is also used by "
                            + mountPaths.get(path), "a distinct folder per mount");
                }
                mountPaths.put(path, "volume " + name);
            });
            map(volume, "persistent").ifPresent(persistent -> {
                if (batch) {
                    report(persistent, "a " + workload + " cannot own a persistent volume", "claim: an existing claim, or emptyDir");
                }
                List<String> modes = list(persistent, "accessModes");
                boolean shared = modes.contains("ReadWriteMany") || modes.contains("ReadOnlyMany");
                if (workload.equals("Deployment") && replicas > 1 && !shared) {
                    report(persistent, "a Deployment with " + replicas + " replicas cannot share a ReadWriteOnce volume",
                            "workload: StatefulSet (a volume per pod), accessModes: [ReadWriteMany], or replicas: 1");
                }
            });
        }));
    }

    private void checkOperations(Node.MapNode s, Map<String, Node.ScalarNode> ports, String workload, boolean batch, String fullname) {
        map(s, "expose").ifPresent(expose -> {
            String via = scalar(expose, "via").orElse("gateway");
            if (batch) {
                report(expose, "a " + workload + " cannot be exposed", "expose only Deployments and StatefulSets");
            }
            if (ports.isEmpty()) {
                report(expose, "the service has no port to expose", "declare ports");
            }
            if ((via.equals("gateway") || via.equals("ingress")) && list(expose, "hosts").isEmpty()) {
                report(expose, "exposing through " + via + " needs host names", "hosts: [shop.example.com]");
            }
            scalar(expose, "port").filter(p -> !ports.containsKey(p) && !p.matches("\\d+")).ifPresent(p -> report(
                    expose.entries().get("port").value(), "'" + p + "' is not a port of this service", "one of: " + String.join(", ", ports.keySet())));
            if (expose.entries().containsKey("ingressClassName") && !via.equals("ingress")) {
                report(expose.entries().get("ingressClassName").value(), "ingressClassName is for via: ingress", "via: ingress");
            }
            map(s, "service").flatMap(m -> scalar(m, "type")).ifPresent(type -> {
                if (via.equals("loadBalancer") && !type.equals("LoadBalancer") || via.equals("nodePort") && !type.equals("NodePort")) {
                    report(map(s, "service").orElseThrow(), "service.type " + type + " contradicts expose.via " + via,
                            "leave service.type out: expose.via sets it");
                }
            });
        });
        map(s, "autoscaling").ifPresent(autoscaling -> {
            if (batch) {
                report(autoscaling, "a " + workload + " does not autoscale", "autoscaling only for Deployments and StatefulSets");
            }
            int min = scalar(autoscaling, "minReplicas").map(SemanticRules::integer).orElse(2);
            int max = scalar(autoscaling, "maxReplicas").map(SemanticRules::integer).orElse(0);
            if (max <= min) {
                report(autoscaling.entries().get("maxReplicas").value(), "maxReplicas (" + max + ") is not above minReplicas (" + min + ")",
                        "a maximum above the minimum (default minimum 2)");
            }
            if (s.entries().containsKey("replicas")) {
                report(s.entries().get("replicas").value(), "replicas is set but the autoscaler decides the count",
                        "autoscaling.minReplicas instead of replicas");
            }
            if (autoscaling.entries().containsKey("keda")) {
                for (String key : List.of("cpu", "memory", "metrics", "behavior")) {
                    if (autoscaling.entries().containsKey(key)) {
                        report(autoscaling.entries().get(key).value(), key + " is for the HorizontalPodAutoscaler, not with keda",
                                "keda triggers only (KEDA creates its own autoscaler)");
                    }
                }
            }
        });
        map(s, "metrics").ifPresent(metrics -> {
            Optional<String> port = scalar(metrics, "port");
            if (port.isEmpty() && !ports.containsKey("metrics")) {
                report(metrics, "no port serves the metrics", "metrics.port, or a port named metrics");
            }
            port.filter(p -> !ports.containsKey(p) && !p.matches("\\d+")).ifPresent(p -> report(metrics.entries().get("port").value(),
                    "'" + p + "' is not a port of this service", "one of: " + String.join(", ", ports.keySet())));
        });
        map(s, "canary").ifPresent(canary -> {
            String strategy = scalar(canary, "strategy").orElse("gateway-api");
            String via = map(s, "expose").flatMap(e -> scalar(e, "via")).orElse(map(s, "expose").isPresent() ? "gateway" : "");
            String router = scalar(canary, "router").orElse("gateway-api");
            if (batch || ports.isEmpty()) {
                report(canary, "a canary needs a long-running service with ports", "a Deployment with ports");
            }
            if (strategy.equals("flagger") && (fullname + "-primary").length() > MAX_NAME) {
                report(canary, "Flagger names the primary '" + fullname + "-primary', " + (fullname + "-primary").length() + " characters",
                        "at most " + MAX_NAME + "; shorten the service name");
            }
            if ((strategy.equals("argo-rollouts") || strategy.equals("flagger")) && !workload.equals("Deployment")) {
                report(canary, strategy + " canaries replace or watch a Deployment, not a " + workload, "workload: Deployment");
            }
            if (strategy.equals("ingress-nginx") && !via.equals("ingress")) {
                report(canary, "an ingress-nginx canary needs the service exposed through an Ingress", "expose: {via: ingress, hosts: [...]}");
            }
            if ((strategy.equals("argo-rollouts") || strategy.equals("flagger")) && router.equals("ingress-nginx") && !via.equals("ingress")) {
                report(canary, "routing with ingress-nginx needs the service exposed through an Ingress", "expose: {via: ingress, hosts: [...]}");
            }
            if (!strategy.equals("argo-rollouts") && !strategy.equals("flagger")) {
                for (String key : List.of("router", "steps", "analysis")) {
                    if (canary.entries().containsKey(key)) {
                        report(canary.entries().get(key).value(), key + " is for argo-rollouts or flagger canaries", "strategy: argo-rollouts or flagger");
                    }
                }
            }
            if (strategy.equals("flagger")) {
                for (String key : List.of("header", "cookie")) {
                    if (canary.entries().containsKey(key)) {
                        report(canary.entries().get(key).value(), key + " is not used by a flagger canary",
                                "header and cookie for gateway-api, istio, ingress-nginx and argo-rollouts");
                    }
                }
                map(s, "podLabels").filter(l -> l.entries().containsKey("app")).ifPresent(l -> report(l.entries().get("app").value(),
                        "the pod label 'app' is Flagger's selector label, set by castle", "another label name"));
            }
            map(canary, "config").filter(c -> map(s, "config").isEmpty()).ifPresent(c -> report(c,
                    "canary.config changes a config the service does not have", "declare config on the service first"));
            List<String> steps = list(canary, "steps");
            for (int i = 1; i < steps.size(); i++) {
                if (integer(steps.get(i)) <= integer(steps.get(i - 1))) {
                    report(canary.entries().get("steps").value(), "canary steps must increase", "increasing weights, such as [10, 25, 50]");
                    break;
                }
            }
        });
        map(s, "alerts").ifPresent(alerts -> alerts.entries().forEach((name, entry) -> {
            boolean applies = switch (name) {
                case "HighErrorRate" -> map(s, "metrics").flatMap(m -> map(m, "errorRate")).isPresent();
                case "HighLatency" -> map(s, "metrics").flatMap(m -> map(m, "latency")).isPresent();
                case "AutoscalerAtMaximum" -> map(s, "autoscaling").isPresent();
                case "JobFailed" -> batch;
                default -> !batch;
            };
            if (!applies) {
                report(entry.keyPosition(), entry.value().pointer(), "alert " + name + " does not apply to this service",
                        "HighErrorRate needs metrics.errorRate, HighLatency metrics.latency, AutoscalerAtMaximum autoscaling,"
                                + " JobFailed a Job or CronJob, the pod alerts a Deployment or StatefulSet");
            }
        }));
    }

    private void checkSecurity(Node.MapNode s) {
        map(s, "securityContext").ifPresent(security -> {
            boolean nonRoot = scalar(security, "runAsNonRoot").map(Scalars::booleanValue).orElse(true);
            scalar(security, "runAsUser").filter(u -> integer(u) == 0 && nonRoot).ifPresent(u -> report(
                    security.entries().get("runAsUser").value(), "runAsUser 0 is root, but runAsNonRoot is true",
                    "a non-zero user id, or runAsNonRoot: false (a documented relaxation)"));
        });
    }

    /**
     * castle writes the Kustomize output of every system to {@code DIR/kustomize/<system>/}, beside
     * the chart {@code DIR/<system>/}: a system named {@code kustomize} would hold it inside its chart.
     */
    private void checkSystemName(Node.MapNode doc) {
        map(doc, "metadata").map(m -> m.entries().get("name")).map(Node.Entry::value)
                .filter(n -> n instanceof Node.ScalarNode s && s.text().equals("kustomize"))
                .ifPresent(n -> report(n, "the system name 'kustomize' is reserved: castle writes the Kustomize output of"
                        + " every system to <output>/kustomize/, which would then lie inside this system's chart",
                        "another DNS label"));
    }

    // --- small readers -------------------------------------------------------------------------

    private static java.util.Optional<Node.MapNode> map(Node.MapNode parent, String key) {
        if (parent == null) {
            return java.util.Optional.empty();
        }
        Node.Entry entry = parent.entries().get(key);
        return entry != null && entry.value() instanceof Node.MapNode m ? java.util.Optional.of(m) : java.util.Optional.empty();
    }

    private static java.util.Optional<String> scalar(Node.MapNode parent, String... path) {
        Node.MapNode current = parent;
        for (int i = 0; i < path.length - 1; i++) {
            current = map(current, path[i]).orElse(null);
            if (current == null) {
                return java.util.Optional.empty();
            }
        }
        Node.Entry entry = current.entries().get(path[path.length - 1]);
        return entry != null && entry.value() instanceof Node.ScalarNode sc && !sc.isNull()
                ? java.util.Optional.of(sc.text()) : java.util.Optional.empty();
    }

    private static List<String> list(Node.MapNode parent, String key) {
        Node.Entry entry = parent.entries().get(key);
        List<String> values = new ArrayList<>();
        if (entry != null && entry.value() instanceof Node.ListNode l) {
            l.items().forEach(i -> values.add(((Node.ScalarNode) i).text()));
        }
        return values;
    }

    private static int integer(Node.ScalarNode node) {
        var value = Scalars.integral(node);
        return value == null ? 0 : value.intValue();
    }

    private static int integer(String text) {
        var value = Scalars.integerValue(text);
        if (value == null) {
            var decimal = Scalars.decimalValue(text);
            return decimal == null ? 0 : decimal.intValue();
        }
        return value.intValue();
    }

    private static BigDecimal quantity(String text) {
        return Quantity.isValid(text) ? Quantity.parse(text) : null;
    }

    private void report(Node at, String problem, String allowed) {
        problems.add(new Diagnostic(at.position(), at.pointer(), problem, allowed));
    }

    private void report(Position at, String pointer, String problem, String allowed) {
        problems.add(new Diagnostic(at, pointer, problem, allowed));
    }
}
