package dev.castle.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.castle.model.Service;

/** The model's typed probes, lifecycle handlers and tolerations in Kubernetes API form, for values files. */
final class KubernetesForms {
    private KubernetesForms() {
    }

    static Map<String, Object> probe(Service.Probe probe) {
        Map<String, Object> form = new LinkedHashMap<>(handler(probe.handler()));
        form.put("periodSeconds", probe.periodSeconds());
        form.put("timeoutSeconds", probe.timeoutSeconds());
        form.put("failureThreshold", probe.failureThreshold());
        form.put("initialDelaySeconds", probe.initialDelaySeconds());
        form.put("successThreshold", probe.successThreshold());
        return form;
    }

    /** {@code {httpGet: ...}}, {@code {tcpSocket: ...}}, {@code {grpc: ...}}, {@code {exec: ...}} or {@code {sleep: ...}}. */
    static Map<String, Object> handler(Service.Handler handler) {
        if (handler instanceof Service.HttpGet http) {
            Map<String, Object> get = new LinkedHashMap<>();
            get.put("path", http.path());
            get.put("port", http.port().value());
            http.scheme().ifPresent(scheme -> get.put("scheme", scheme.name()));
            if (!http.headers().isEmpty()) {
                List<Map<String, String>> headers = new ArrayList<>();
                http.headers().forEach((name, value) -> headers.add(Map.of("name", name, "value", value)));
                get.put("httpHeaders", headers);
            }
            return Map.of("httpGet", get);
        }
        if (handler instanceof Service.TcpSocket tcp) {
            return Map.of("tcpSocket", Map.of("port", tcp.port().value()));
        }
        if (handler instanceof Service.GrpcCheck grpc) {
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("port", grpc.portNumber());
            grpc.service().ifPresent(service -> check.put("service", service));
            return Map.of("grpc", check);
        }
        if (handler instanceof Service.Exec exec) {
            return Map.of("exec", Map.of("command", exec.command()));
        }
        return Map.of("sleep", Map.of("seconds", ((Service.Sleep) handler).seconds()));
    }

    static List<Object> tolerations(List<Service.Toleration> tolerations) {
        List<Object> forms = new ArrayList<>();
        for (Service.Toleration t : tolerations) {
            Map<String, Object> form = new TreeMap<>();
            t.key().ifPresent(v -> form.put("key", v));
            t.operator().ifPresent(v -> form.put("operator", v.name()));
            t.value().ifPresent(v -> form.put("value", v));
            t.effect().ifPresent(v -> form.put("effect", v.name()));
            t.tolerationSeconds().ifPresent(v -> form.put("tolerationSeconds", v));
            forms.add(form);
        }
        return forms;
    }
}
