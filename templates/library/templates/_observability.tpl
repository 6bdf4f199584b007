{{/* Metadata of a monitor or rule: the standard labels and those the Prometheus selects. Arguments: dict of root and labels. */}}
{{- define "castle-common.monitorMetadata" -}}
{{- include "castle-common.metadata" (dict "root" .root "name" (include "castle-common.fullname" .root) "labels" .labels) }}
{{- end }}

{{/* The endpoint a monitor scrapes. */}}
{{- define "castle-common.scrapeEndpoint" -}}
port: {{ .port }}
path: {{ .path | toJson }}
interval: {{ .interval }}
{{- with .scrapeTimeout }}
scrapeTimeout: {{ . }}
{{- end }}
{{- end }}

{{/*
A ServiceMonitor (metrics.serviceMonitor.enabled) or a PodMonitor (metrics.podMonitor.enabled,
for a port off the Service), when metrics.enabled and the cluster serves monitoring.coreos.com/v1
(or metrics.force).
*/}}
{{- define "castle-common.monitor" -}}
{{- $m := .Values.metrics }}
{{- if include "castle-common.apiAvailable" (list (and $m.enabled $m.serviceMonitor.enabled) $m.force . "monitoring.coreos.com/v1/ServiceMonitor") }}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  {{- include "castle-common.monitorMetadata" (dict "root" . "labels" $m.labels) | nindent 2 }}
spec:
  selector:
    matchLabels:
      {{- include "castle-common.selectorLabels" . | nindent 6 }}
  namespaceSelector:
    matchNames:
      - {{ .Release.Namespace }}
  endpoints:
    - {{- include "castle-common.scrapeEndpoint" $m | nindent 6 | trim | printf " %s" }}
{{- end }}
{{- if include "castle-common.apiAvailable" (list (and $m.enabled $m.podMonitor.enabled) $m.force . "monitoring.coreos.com/v1/PodMonitor") }}
---
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata:
  {{- include "castle-common.monitorMetadata" (dict "root" . "labels" $m.labels) | nindent 2 }}
spec:
  selector:
    matchLabels:
      {{- include "castle-common.selectorLabels" . | nindent 6 }}
  namespaceSelector:
    matchNames:
      - {{ .Release.Namespace }}
  podMetricsEndpoints:
    - {{- include "castle-common.scrapeEndpoint" $m | nindent 6 | trim | printf " %s" }}
{{- end }}
{{- end }}

{{/*
The service's alerts as a PrometheusRule, when alerts.enabled and the cluster serves
monitoring.coreos.com/v1 (or alerts.force). alerts.rules maps each alert's name (after
alerts.namePrefix) to its expr, for, labels and annotations; {namespace} and {fullname} in expr
stand for the release namespace and the service's name; a rule with enabled: false is left out.
*/}}
{{- define "castle-common.prometheusrule" -}}
{{- $a := .Values.alerts }}
{{- $fullname := include "castle-common.fullname" . }}
{{- $rules := list }}
{{- range $name, $rule := $a.rules }}
{{- if $rule.enabled }}
{{- $expr := replace "{namespace}" $.Release.Namespace (toString $rule.expr) | replace "{fullname}" $fullname }}
{{- $rules = append $rules (dict "alert" (printf "%s%s" ($a.namePrefix | default "") $name) "expr" $expr "for" $rule.for "labels" $rule.labels "annotations" $rule.annotations) }}
{{- end }}
{{- end }}
{{- if include "castle-common.apiAvailable" (list (and $a.enabled $rules) $a.force . "monitoring.coreos.com/v1/PrometheusRule") }}
---
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  {{- include "castle-common.monitorMetadata" (dict "root" . "labels" $a.labels) | nindent 2 }}
spec:
  groups:
    - name: {{ $fullname }}
      rules:
        {{- toYaml $rules | nindent 8 }}
{{- end }}
{{- end }}
