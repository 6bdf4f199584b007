{{/* Labels of the parent chart's own objects. */}}
{{- define "castle-common.systemLabels" -}}
helm.sh/chart: {{ include "castle-common.chart" . }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ include "castle-common.labelValue" .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: {{ .Chart.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* metadata of a parent chart object named <release>-<suffix>. Arguments: (list . suffix). */}}
{{- define "castle-common.systemMetadata" -}}
{{- $root := index . 0 }}
name: {{ printf "%s-%s" $root.Release.Name (index . 1) | trunc 63 | trimSuffix "-" }}
labels:
  {{- include "castle-common.systemLabels" $root | nindent 2 }}
{{- with $root.Values.commonAnnotations }}
annotations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* A NetworkPolicy peer from castle's peer form: component, podLabels, cidr, namespace, proxies (a Gateway's or ingress controller's pods: namespace, podLabels) or tests. Arguments: (list . peer self). */}}
{{- define "castle-common.peer" -}}
{{- $root := index . 0 }}
{{- $peer := index . 1 }}
{{- $self := index . 2 }}
{{- if $peer.component }}
- podSelector:
    matchLabels:
      app.kubernetes.io/name: {{ $peer.component }}
      app.kubernetes.io/instance: {{ $root.Release.Name }}
    {{- with $peer.versions }}
    {{- /* only the caller's versions that call this component */}}
    matchExpressions:
      - key: version
        operator: In
        values: {{ toJson . }}
    {{- end }}
{{- else if $peer.podLabels }}
- podSelector:
    matchLabels:
      {{- range $key, $value := $peer.podLabels }}
      {{ $key }}: {{ replace "{release}" $root.Release.Name $value | toJson }}
      {{- end }}
{{- else if $peer.cidr }}
- ipBlock:
    cidr: {{ $peer.cidr }}
{{- else if $peer.namespace }}
- namespaceSelector:
    matchLabels:
      kubernetes.io/metadata.name: {{ $peer.namespace }}
{{- else if $peer.proxies }}
{{- $selector := dict "podSelector" (dict "matchLabels" ($peer.proxies.podLabels | default dict)) }}
{{- with $peer.proxies.namespace }}
{{- $_ := set $selector "namespaceSelector" (dict "matchLabels" (dict "kubernetes.io/metadata.name" .)) }}
{{- end }}
{{ list $selector | toYaml }}
{{- else if $peer.tests }}
- podSelector:
    matchLabels:
      app.kubernetes.io/name: {{ $self }}
      app.kubernetes.io/instance: {{ $root.Release.Name }}
      castle.dev/role: test
{{- end }}
{{- end }}

{{/*
Network isolation derived from the system's graph (networkPolicies.components): every castle pod
of the release is denied all traffic but DNS, then each enabled component gets exactly the
ingress and egress its entry lists.
*/}}
{{- define "castle-common.networkPolicies" -}}
{{- $np := .Values.networkPolicies }}
{{- if $np.enabled }}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  {{- include "castle-common.systemMetadata" (list . "default-deny") | nindent 2 }}
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/instance: {{ .Release.Name }}
    matchExpressions:
      - key: castle.dev/track
        operator: Exists
  policyTypes:
    - Ingress
    - Egress
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: {{ $np.dnsNamespace }}
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
{{- range $name, $policy := $np.components }}
{{- if (index $.Values $name | default dict).enabled }}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  {{- include "castle-common.systemMetadata" (list $ $name) | nindent 2 }}
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: {{ $name }}
      app.kubernetes.io/instance: {{ $.Release.Name }}
    matchExpressions:
      - key: castle.dev/track
        operator: Exists
  policyTypes:
    - Ingress
    - Egress
  {{- with $policy.ingress }}
  ingress:
    {{- range . }}
    {{- if .from.anywhere }}
    - ports:
        {{- toYaml .ports | nindent 8 }}
    {{- else }}
    - from:
        {{- include "castle-common.peer" (list $ .from $name) | trim | nindent 8 }}
      ports:
        {{- toYaml .ports | nindent 8 }}
    {{- end }}
    {{- end }}
  {{- end }}
  {{- with $policy.egress }}
  egress:
    {{- range . }}
    - to:
        {{- include "castle-common.peer" (list $ .to $name) | trim | nindent 8 }}
      ports:
        {{- toYaml .ports | nindent 8 }}
    {{- end }}
  {{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* The Gateway the system's routes attach to, when gateway.create and the cluster serves the API (or gateway.force). */}}
{{- define "castle-common.gateway" -}}
{{- $g := .Values.gateway }}
{{- if include "castle-common.apiAvailable" (list $g.create $g.force . "gateway.networking.k8s.io/v1/Gateway") }}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: {{ $g.name }}
  labels:
    {{- include "castle-common.systemLabels" . | nindent 4 }}
spec:
  gatewayClassName: {{ required "gateway.className: the GatewayClass of the Gateway castle creates (kubectl get gatewayclass)" $g.className | toJson }}
  listeners:
    - name: http
      protocol: HTTP
      port: 80
      allowedRoutes:
        namespaces:
          from: Same
    {{- with $g.tlsSecretName }}
    - name: https
      protocol: HTTPS
      port: 443
      tls:
        mode: Terminate
        certificateRefs:
          - kind: Secret
            name: {{ . | toJson }}
      allowedRoutes:
        namespaces:
          from: Same
    {{- end }}
{{- end }}
{{- end }}

{{/* OpenTelemetry Operator auto-instrumentation, when instrumentation.enabled and the cluster serves the API (or instrumentation.force). */}}
{{- define "castle-common.instrumentation" -}}
{{- $i := .Values.instrumentation }}
{{- if include "castle-common.apiAvailable" (list $i.enabled $i.force . "opentelemetry.io/v1alpha1/Instrumentation") }}
---
apiVersion: opentelemetry.io/v1alpha1
kind: Instrumentation
metadata:
  name: {{ .Release.Name }}
  labels:
    {{- include "castle-common.systemLabels" . | nindent 4 }}
spec:
  exporter:
    endpoint: {{ replace "{release}" .Release.Name (toString $i.endpoint) | toJson }}
  propagators:
    - tracecontext
    - baggage
  sampler:
    type: {{ $i.sampler }}
    argument: {{ $i.ratio | toString | toJson }}
{{- end }}
{{- end }}

{{/* The namespace's budget, when resourceQuota.enabled. */}}
{{- define "castle-common.resourceQuota" -}}
{{- if .Values.resourceQuota.enabled }}
---
apiVersion: v1
kind: ResourceQuota
metadata:
  {{- include "castle-common.systemMetadata" (list . "quota") | nindent 2 }}
spec:
  hard:
    {{- toYaml .Values.resourceQuota.hard | nindent 4 }}
{{- end }}
{{- end }}

{{/* Requests and limits for containers that declare none (pods of upstream charts), when limitRange.enabled. */}}
{{- define "castle-common.limitRange" -}}
{{- if .Values.limitRange.enabled }}
---
apiVersion: v1
kind: LimitRange
metadata:
  {{- include "castle-common.systemMetadata" (list . "limits") | nindent 2 }}
spec:
  limits:
    - type: Container
      default:
        {{- toYaml .Values.limitRange.default | nindent 8 }}
      defaultRequest:
        {{- toYaml .Values.limitRange.defaultRequest | nindent 8 }}
{{- end }}
{{- end }}

{{/* A subchart's full name seen from the parent: its fullnameOverride, or <release>-<name>. Arguments: (list . name). */}}
{{- define "castle-common.notesFullname" -}}
{{- $root := index . 0 }}
{{- $name := index . 1 }}
{{- $values := index $root.Values $name | default dict }}
{{- if $values.fullnameOverride }}{{ $values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}{{ printf "%s-%s" $root.Release.Name ($values.nameOverride | default $name) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* A subchart's Service name seen from the parent: its service.name, else its full name. Arguments: (list . name). */}}
{{- define "castle-common.notesServiceName" -}}
{{- $values := index (index . 0).Values (index . 1) | default dict }}
{{- ($values.service | default dict).name | default (include "castle-common.notesFullname" .) }}
{{- end }}

{{/* The main port of a subchart's Service seen from the parent, empty without a Service. Arguments: (list . name). */}}
{{- define "castle-common.notesPort" -}}
{{- $values := index (index . 0).Values (index . 1) | default dict }}
{{- $service := $values.service | default dict }}
{{- if and $values.enabled $service.enabled }}
{{- $name := $service.mainPort }}
{{- range $portName, $port := $values.ports }}{{ if and (not $name) $port.expose }}{{ $name = $portName }}{{ end }}{{ end }}
{{- with get ($values.ports | default dict) ($name | default "") }}{{ .servicePort | default .containerPort | int }}{{ end }}
{{- end }}
{{- end }}

{{/* One line of NOTES.txt: a subchart's address in the cluster, or what it is without one. Arguments: (list . name). */}}
{{- define "castle-common.notesAddress" -}}
{{- $root := index . 0 }}
{{- $name := index . 1 }}
{{- $values := index $root.Values $name | default dict }}
{{- if $values.enabled }}
{{- $port := include "castle-common.notesPort" . }}
{{- if $port }}
  {{ $name }}: {{ include "castle-common.notesServiceName" . }}.{{ $root.Release.Namespace }}.svc.cluster.local:{{ $port }}
{{- else }}
  {{ $name }}: no Service
{{- end }}
{{- end }}
{{- end }}
