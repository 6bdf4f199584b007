package dev.castle.testing;

import java.net.InetAddress;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the API server (and the controllers that create pods) refuse that no OpenAPI schema says:
 * the formats of names, label keys and values, annotation keys; the rules of pod specs (container,
 * port and volume names, mount paths, subPaths, tolerations, probe ports and header names);
 * ConfigMap keys and sizes; Service ports; Ingress hosts and paths; CronJob schedules and time
 * zones; percentages; CIDRs; name lengths that the controllers need (a StatefulSet's or a CronJob's
 * 52 characters, a Job's 63). Each problem is "Kind/name: what". Written from the rules of
 * k8s.io/apimachinery/pkg/util/validation and k8s.io/kubernetes/pkg/apis/core/validation, as
 * documented; castle's tests run no API server.
 */
public final class ApiServerChecks {
    static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    static final Pattern DNS1123_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    static final Pattern IANA_SVC_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    static final Pattern CONFIG_MAP_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    static final Pattern HTTP_HEADER_NAME = Pattern.compile("[-A-Za-z0-9!#$%&'*+.^_`|~]+");
    static final Pattern WILDCARD_HOST = Pattern.compile("\\*\\." + DNS1123_SUBDOMAIN.pattern());
    static final Pattern PERCENT = Pattern.compile("([0-9]+)%");
    /** Kinds whose names are DNS-1035 labels (Services) or DNS-1123 labels; the others are subdomains. */
    static final Set<String> LABEL_NAMED = Set.of("Namespace");
    static final int MAX_CONFIG_MAP_BYTES = 1024 * 1024;

    private final List<String> problems = new ArrayList<>();
    private String id = "";
    /** The volume claim templates of a StatefulSet: volumes of its pods. */
    private List<String> claims = List.of();

    private ApiServerChecks() {
    }

    /** The problems of one object. */
    public static List<String> check(Map<String, Object> document) {
        ApiServerChecks checks = new ApiServerChecks();
        checks.object(document);
        return checks.problems;
    }

    private void problem(String what) {
        problems.add(id + ": " + what);
    }

    private void object(Map<String, Object> doc) {
        String kind = String.valueOf(doc.get("kind"));
        Map<String, Object> metadata = map(doc.get("metadata"));
        String name = String.valueOf(metadata.get("name"));
        id = kind + "/" + name;
        name(kind, name);
        labels("metadata.labels", metadata.get("labels"));
        annotations(metadata.get("annotations"));
        Map<String, Object> spec = map(doc.get("spec"));
        switch (kind) {
            case "Pod" -> pod(spec);
            case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Rollout" -> {
                Map<String, Object> selector = map(map(spec.get("selector")).get("matchLabels"));
                labels("spec.selector.matchLabels", selector);
                Map<String, Object> podLabels = map(map(map(spec.get("template")).get("metadata")).get("labels"));
                if (!spec.containsKey("workloadRef") && !podLabels.entrySet().containsAll(selector.entrySet())) {
                    problem("spec.selector does not match the template's labels: " + selector + " against " + podLabels);
                }
                claims = list(spec.get("volumeClaimTemplates")).stream().map(c -> String.valueOf(map(map(c).get("metadata")).get("name"))).toList();
                template(spec.get("template"));
                int32("spec.replicas", spec.get("replicas"));
                rollingUpdate(map(map(spec.get("strategy")).get("rollingUpdate")));
            }
            case "Job" -> {
                template(spec.get("template"));
                jobName(name);
            }
            case "CronJob" -> {
                cron(String.valueOf(spec.get("schedule")), spec.get("timeZone"));
                template(map(map(spec.get("jobTemplate")).get("spec")).get("template"));
            }
            case "ConfigMap", "Secret" -> configMap(doc);
            case "Service" -> service(spec);
            case "Ingress" -> ingress(spec);
            case "PodDisruptionBudget" -> {
                percent("spec.minAvailable", spec.get("minAvailable"));
                percent("spec.maxUnavailable", spec.get("maxUnavailable"));
                labels("spec.selector.matchLabels", map(spec.get("selector")).get("matchLabels"));
            }
            case "HorizontalPodAutoscaler" -> {
                Object min = spec.get("minReplicas");
                Object max = spec.get("maxReplicas");
                if (min instanceof Number m && m.longValue() < 1) {
                    problem("spec.minReplicas must be at least 1");
                }
                if (min instanceof Number m && max instanceof Number x && x.longValue() < m.longValue()) {
                    problem("spec.maxReplicas must not be below spec.minReplicas");
                }
            }
            case "NetworkPolicy" -> networkPolicy(spec);
            case "HTTPRoute", "GRPCRoute" -> route(spec);
            default -> {
            }
        }
    }

    private void name(String kind, String name) {
        if (kind.equals("Service")) {
            if (name.length() > 63 || !DNS1035_LABEL.matcher(name).matches()) {
                problem("metadata.name '" + name + "' is not a DNS-1035 label (a Service name: at most 63 characters, a letter first)");
            }
        } else if (LABEL_NAMED.contains(kind)) {
            if (name.length() > 63 || !DNS1123_LABEL.matcher(name).matches()) {
                problem("metadata.name '" + name + "' is not a DNS-1123 label");
            }
        } else if (name.length() > 253 || !DNS1123_SUBDOMAIN.matcher(name).matches()) {
            problem("metadata.name '" + name + "' is not a DNS-1123 subdomain");
        }
        int max = switch (kind) {
            // The controller-revision-hash label of a StatefulSet's pods is <name>-<10 characters>.
            case "StatefulSet", "CronJob" -> 52;
            // The Job controller labels the pods with job-name: <name>; Service names are labels too.
            case "Job", "Service" -> 63;
            default -> 253;
        };
        if (name.length() > max) {
            problem("metadata.name has " + name.length() + " characters, a " + kind + " at most " + max);
        }
    }

    private void jobName(String name) {
        if (!LABEL_VALUE.matcher(name).matches() || name.length() > 63) {
            problem("the job-name label '" + name + "' is not a label value");
        }
    }

    private void labels(String where, Object value) {
        map(value).forEach((key, v) -> {
            labelKey(where, key);
            String text = v == null ? "" : String.valueOf(v);
            if (!(v instanceof String) && v != null) {
                problem(where + "." + key + " is not a string");
            }
            if (text.length() > 63 || !LABEL_VALUE.matcher(text).matches()) {
                problem(where + "." + key + ": '" + text + "' is not a valid label value (at most 63 characters of"
                        + " [A-Za-z0-9_.-], alphanumeric at both ends)");
            }
        });
    }

    private void labelKey(String where, String key) {
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.length() > 253 || !DNS1123_SUBDOMAIN.matcher(prefix).matches()) {
                problem(where + ": the prefix of key '" + key + "' is not a DNS-1123 subdomain");
            }
        }
        if (name.length() > 63 || !QUALIFIED_NAME.matcher(name).matches()) {
            problem(where + ": key '" + key + "' is not a qualified name");
        }
    }

    private void annotations(Object value) {
        long size = 0;
        for (Map.Entry<String, Object> e : map(value).entrySet()) {
            labelKey("metadata.annotations", e.getKey());
            size += e.getKey().length() + String.valueOf(e.getValue()).length();
        }
        if (size > 256 * 1024) {
            problem("metadata.annotations total " + size + " bytes, at most 256 KiB");
        }
    }

    private void template(Object template) {
        Map<String, Object> t = map(template);
        labels("spec.template.metadata.labels", map(t.get("metadata")).get("labels"));
        annotations(map(t.get("metadata")).get("annotations"));
        pod(map(t.get("spec")));
    }

    private void pod(Map<String, Object> spec) {
        Set<String> volumes = new HashSet<>(claims);
        for (Object v : list(spec.get("volumes"))) {
            String name = String.valueOf(map(v).get("name"));
            if (!volumes.add(name)) {
                problem("volume '" + name + "' is defined twice");
            }
            if (name.length() > 63 || !DNS1123_LABEL.matcher(name).matches()) {
                problem("volume name '" + name + "' is not a DNS-1123 label");
            }
            Map<String, Object> configMap = map(map(v).get("configMap"));
            for (Object item : list(configMap.get("items"))) {
                subPath("volume '" + name + "' item path", String.valueOf(map(item).get("path")));
            }
        }
        Set<String> containers = new HashSet<>();
        List<Object> all = new ArrayList<>(list(spec.get("initContainers")));
        all.addAll(list(spec.get("containers")));
        if (list(spec.get("containers")).isEmpty()) {
            problem("the pod has no containers");
        }
        for (Object c : all) {
            Map<String, Object> container = map(c);
            String name = String.valueOf(container.get("name"));
            if (!containers.add(name)) {
                problem("container '" + name + "' is defined twice");
            }
            if (name.length() > 63 || !DNS1123_LABEL.matcher(name).matches()) {
                problem("container name '" + name + "' is not a DNS-1123 label");
            }
            container(name, container, volumes);
        }
        for (Object t : list(spec.get("tolerations"))) {
            Map<String, Object> toleration = map(t);
            if ("Exists".equals(toleration.get("operator")) && toleration.get("value") != null
                    && !String.valueOf(toleration.get("value")).isEmpty()) {
                problem("a toleration with operator Exists has a value");
            }
        }
        labels("spec.nodeSelector", spec.get("nodeSelector"));
        Object grace = spec.get("terminationGracePeriodSeconds");
        if (grace instanceof Number g && g.longValue() < 0) {
            problem("terminationGracePeriodSeconds is negative");
        }
    }

    private void container(String name, Map<String, Object> container, Set<String> volumes) {
        String at = "container '" + name + "'";
        Set<String> portNames = new HashSet<>();
        for (Object p : list(container.get("ports"))) {
            Object portName = map(p).get("name");
            if (portName != null) {
                ianaName(at + " port", String.valueOf(portName));
                if (!portNames.add(String.valueOf(portName))) {
                    problem(at + ": port name '" + portName + "' is used twice");
                }
            }
        }
        Set<String> envNames = new HashSet<>();
        for (Object e : list(container.get("env"))) {
            String env = String.valueOf(map(e).get("name"));
            if (env.isEmpty() || env.contains("=") || !env.chars().allMatch(ch -> ch >= 32 && ch < 127)) {
                problem(at + ": environment variable name '" + env + "' is not printable ASCII without '='");
            }
            if (!envNames.add(env)) {
                problem(at + ": environment variable '" + env + "' is set twice");
            }
        }
        Set<String> mountPaths = new HashSet<>();
        for (Object m : list(container.get("volumeMounts"))) {
            Map<String, Object> mount = map(m);
            String volume = String.valueOf(mount.get("name"));
            if (!volumes.contains(volume)) {
                problem(at + ": volumeMount names volume '" + volume + "', which the pod does not define");
            }
            String path = String.valueOf(mount.get("mountPath"));
            if (!mountPaths.add(normalize(path))) {
                problem(at + ": mountPath " + path + " is used twice (the container runtime refuses a second mount at one place)");
            }
            if (mount.get("subPath") != null) {
                subPath(at + " subPath", String.valueOf(mount.get("subPath")));
            }
        }
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            handler(at + " " + probe, map(container.get(probe)), portNames);
        }
        Map<String, Object> lifecycle = map(container.get("lifecycle"));
        handler(at + " postStart", map(lifecycle.get("postStart")), portNames);
        handler(at + " preStop", map(lifecycle.get("preStop")), portNames);
    }

    private void handler(String at, Map<String, Object> handler, Set<String> portNames) {
        for (String check : List.of("httpGet", "tcpSocket", "grpc")) {
            Map<String, Object> action = map(handler.get(check));
            if (action.isEmpty()) {
                continue;
            }
            Object port = action.get("port");
            if (port instanceof Number n && (n.longValue() < 1 || n.longValue() > 65535)) {
                problem(at + ": port " + port + " is out of range");
            } else if (port instanceof String s) {
                ianaName(at + " port", s);
                if (!portNames.contains(s)) {
                    problem(at + ": port '" + s + "' is not a port of the container");
                }
            }
            for (Object header : list(action.get("httpHeaders"))) {
                String header_ = String.valueOf(map(header).get("name"));
                if (!HTTP_HEADER_NAME.matcher(header_).matches()) {
                    problem(at + ": header name '" + header_ + "' is not an HTTP token");
                }
            }
            Object path = action.get("path");
            if (path instanceof String p && p.chars().anyMatch(ch -> ch <= ' ')) {
                problem(at + ": path '" + p + "' has a space or control character");
            }
        }
    }

    /** A mount path as the container runtime sees it: without '.', '..' and trailing slashes. */
    static String normalize(String path) {
        return java.nio.file.Path.of("/").resolve(path).normalize().toString();
    }

    private void subPath(String at, String path) {
        if (path.startsWith("/")) {
            problem(at + " '" + path + "' is absolute");
        }
        for (String part : path.split("/")) {
            if (part.equals("..")) {
                problem(at + " '" + path + "' contains '..'");
            }
        }
    }

    private void ianaName(String at, String name) {
        if (name.length() > 15 || !IANA_SVC_NAME.matcher(name).matches() || name.contains("--") || !name.matches(".*[a-z].*")) {
            problem(at + " name '" + name + "' is not an IANA service name");
        }
    }

    private void configMap(Map<String, Object> doc) {
        long size = 0;
        for (String field : List.of("data", "binaryData", "stringData")) {
            for (Map.Entry<String, Object> e : map(doc.get(field)).entrySet()) {
                String key = e.getKey();
                if (key.length() > 253 || !CONFIG_MAP_KEY.matcher(key).matches() || key.equals(".") || key.equals("..")
                        || key.startsWith("..")) {
                    problem(field + " key '" + key + "' is not a valid ConfigMap key");
                }
                size += key.length() + String.valueOf(e.getValue()).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            }
        }
        if (size > MAX_CONFIG_MAP_BYTES) {
            problem("the data has " + size + " bytes, at most 1 MiB");
        }
    }

    private void service(Map<String, Object> spec) {
        labels("spec.selector", spec.get("selector"));
        Set<String> names = new HashSet<>();
        Set<String> ports = new HashSet<>();
        Set<Object> nodePorts = new HashSet<>();
        List<Object> all = list(spec.get("ports"));
        for (Object p : all) {
            Map<String, Object> port = map(p);
            Object name = port.get("name");
            if (all.size() > 1 && (name == null || String.valueOf(name).isEmpty())) {
                problem("a port of a Service with several ports has no name");
            }
            if (name != null) {
                if (!names.add(String.valueOf(name))) {
                    problem("port name '" + name + "' is used twice");
                }
                String text = String.valueOf(name);
                if (text.length() > 63 || !DNS1123_LABEL.matcher(text).matches()) {
                    problem("port name '" + name + "' is not a DNS-1123 label");
                }
            }
            if (!ports.add(port.get("port") + "/" + port.getOrDefault("protocol", "TCP"))) {
                problem("port " + port.get("port") + "/" + port.getOrDefault("protocol", "TCP") + " is used twice");
            }
            Object nodePort = port.get("nodePort");
            if (nodePort != null && !nodePorts.add(nodePort)) {
                problem("nodePort " + nodePort + " is used twice");
            }
        }
        for (Object range : list(spec.get("loadBalancerSourceRanges"))) {
            cidr("spec.loadBalancerSourceRanges", String.valueOf(range));
        }
    }

    private void ingress(Map<String, Object> spec) {
        for (Object r : list(spec.get("rules"))) {
            Map<String, Object> rule = map(r);
            Object host = rule.get("host");
            if (host != null) {
                host("spec.rules[].host", String.valueOf(host));
            }
            for (Object p : list(map(rule.get("http")).get("paths"))) {
                Map<String, Object> path = map(p);
                String text = String.valueOf(path.get("path"));
                String type = String.valueOf(path.get("pathType"));
                if ((type.equals("Prefix") || type.equals("Exact")) && !text.startsWith("/")) {
                    problem("path '" + text + "' is not absolute");
                }
                if (type.equals("Prefix") || type.equals("Exact")) {
                    for (String bad : List.of("//", "/./", "/../", "%2f", "%2F")) {
                        if (text.contains(bad)) {
                            problem("path '" + text + "' contains '" + bad + "'");
                        }
                    }
                    if (text.endsWith("/..") || text.endsWith("/.")) {
                        problem("path '" + text + "' ends with '/..' or '/.'");
                    }
                }
                if (text.chars().anyMatch(ch -> ch <= ' ')) {
                    problem("path '" + text + "' has a space or control character (ingress-nginx refuses it)");
                }
            }
        }
        for (Object t : list(spec.get("tls"))) {
            for (Object host : list(map(t).get("hosts"))) {
                host("spec.tls[].hosts[]", String.valueOf(host));
            }
        }
    }

    /** What the Gateway API's CEL rules refuse (the CRD schema's patterns check the characters). */
    private void route(Map<String, Object> spec) {
        for (Object hostname : list(spec.get("hostnames"))) {
            if (isIpAddress(String.valueOf(hostname))) {
                problem("spec.hostnames[] '" + hostname + "' is an IP address");
            }
        }
        for (Object rule : list(spec.get("rules"))) {
            for (Object match : list(map(rule).get("matches"))) {
                Object path = map(map(match).get("path")).get("value");
                if (path instanceof String p) {
                    for (String bad : List.of("//", "/./", "/../", "%2f", "%2F", "#")) {
                        if (p.contains(bad)) {
                            problem("path '" + p + "' contains '" + bad + "'");
                        }
                    }
                    if (p.endsWith("/..") || p.endsWith("/.")) {
                        problem("path '" + p + "' ends with '/..' or '/.'");
                    }
                }
            }
        }
    }

    private void host(String at, String host) {
        if (isIpAddress(host)) {
            problem(at + " '" + host + "' is an IP address");
        } else if (host.length() > 253 || !(DNS1123_SUBDOMAIN.matcher(host).matches() || WILDCARD_HOST.matcher(host).matches())) {
            problem(at + " '" + host + "' is not a DNS-1123 subdomain");
        }
    }

    static boolean isIpAddress(String host) {
        if (host.matches("[0-9.]+") && host.chars().filter(c -> c == '.').count() == 3) {
            return true;
        }
        if (host.contains(":") && host.matches("[0-9a-fA-F:.]+")) {
            try {
                InetAddress.getByName(host);
                return true;
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    private void networkPolicy(Map<String, Object> spec) {
        labels("spec.podSelector.matchLabels", map(spec.get("podSelector")).get("matchLabels"));
        for (String direction : List.of("ingress", "egress")) {
            for (Object rule : list(spec.get(direction))) {
                for (Object peer : list(map(rule).get(direction.equals("ingress") ? "from" : "to"))) {
                    Map<String, Object> ipBlock = map(map(peer).get("ipBlock"));
                    if (!ipBlock.isEmpty()) {
                        cidr("ipBlock.cidr", String.valueOf(ipBlock.get("cidr")));
                        for (Object except : list(ipBlock.get("except"))) {
                            cidr("ipBlock.except", String.valueOf(except));
                        }
                    }
                    labels("podSelector.matchLabels", map(map(peer).get("podSelector")).get("matchLabels"));
                    labels("namespaceSelector.matchLabels", map(map(peer).get("namespaceSelector")).get("matchLabels"));
                }
            }
        }
    }

    private void cidr(String at, String cidr) {
        if (!isCidr(cidr)) {
            problem(at + " '" + cidr + "' is not a CIDR");
        }
    }

    /** Whether the text is an IPv4 or IPv6 network in CIDR notation, as Go's net.ParseCIDR reads it. */
    public static boolean isCidr(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String address = cidr.substring(0, slash);
        String bits = cidr.substring(slash + 1);
        if (!bits.matches("[0-9]{1,3}")) {
            return false;
        }
        int prefix = Integer.parseInt(bits);
        if (address.contains(":")) {
            return address.matches("[0-9a-fA-F:.]+") && isIpAddress(address) && prefix <= 128;
        }
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4 || prefix > 32) {
            return false;
        }
        for (String part : parts) {
            if (!part.matches("[0-9]{1,3}") || Integer.parseInt(part) > 255 || part.length() > 1 && part.startsWith("0")) {
                return false;
            }
        }
        return true;
    }

    private void percent(String at, Object value) {
        if (value instanceof String text) {
            var m = PERCENT.matcher(text);
            if (!m.matches()) {
                problem(at + " '" + text + "' is neither a number nor a percentage");
            } else if (Long.parseLong(m.group(1).length() > 12 ? "999999999999" : m.group(1)) > 100) {
                problem(at + " '" + text + "' is more than 100%");
            }
        }
    }

    private void rollingUpdate(Map<String, Object> rollingUpdate) {
        percent("spec.strategy.rollingUpdate.maxUnavailable", rollingUpdate.get("maxUnavailable"));
        Object surge = rollingUpdate.get("maxSurge");
        if (surge instanceof String s && !PERCENT.matcher(s).matches()) {
            problem("spec.strategy.rollingUpdate.maxSurge '" + s + "' is neither a number nor a percentage");
        }
    }

    private void int32(String at, Object value) {
        if (value instanceof Number n && (n.longValue() > Integer.MAX_VALUE || n.longValue() < 0 || n instanceof java.math.BigInteger b
                && b.bitLength() > 31)) {
            problem(at + " " + value + " is not a non-negative int32");
        }
    }

    private void cron(String schedule, Object timeZone) {
        if (schedule.contains("TZ=") || schedule.contains("CRON_TZ=")) {
            problem("spec.schedule sets a time zone; use spec.timeZone");
        }
        dev.castle.rules.Cron.problem(schedule).ifPresent(p -> problem("spec.schedule '" + schedule + "': " + p));
        if (timeZone != null) {
            try {
                ZoneId.of(String.valueOf(timeZone));
                if (String.valueOf(timeZone).toLowerCase(Locale.ROOT).equals("local")) {
                    problem("spec.timeZone Local is not allowed");
                }
            } catch (DateTimeException e) {
                problem("spec.timeZone '" + timeZone + "' is not a time zone of the tz database");
            }
        }
    }

    /** The value as a map, or an empty one. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** The value as a list, or an empty one. */
    @SuppressWarnings("unchecked")
    public static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }
}
