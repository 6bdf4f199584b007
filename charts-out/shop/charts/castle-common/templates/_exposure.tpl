{{/* A path of the values (a prefix, or {path, match: Exact | Prefix}) as a Gateway API path match. */}}
{{- define "castle-common.pathMatch" -}}
{{- if kindIs "string" . }}
{{- toYaml (dict "type" "PathPrefix" "value" .) }}
{{- else }}
{{- toYaml (dict "type" (ternary "Exact" "PathPrefix" (eq .match "Exact")) "value" .path) }}
{{- end }}
{{- end }}

{{/* The path matches of an HTTPRoute rule. Argument: the list of paths. */}}
{{- define "castle-common.pathMatches" -}}
{{- $matches := list }}
{{- range . }}{{ $matches = append $matches (dict "path" (include "castle-common.pathMatch" . | fromYaml)) }}{{ end }}
{{- toYaml $matches }}
{{- end }}

{{/* The rules of a route to the stable Service: path matches for an HTTPRoute, one rule for a GRPCRoute. Arguments: dict of kind, paths, backend, port. */}}
{{- define "castle-common.routeRules" -}}
{{- $rule := dict "backendRefs" (list (dict "name" .backend "port" .port)) }}
{{- if eq .kind "HTTPRoute" }}{{ $_ := set $rule "matches" (include "castle-common.pathMatches" (.paths | default (list "/")) | fromYamlArray) }}{{ end }}
{{- toYaml (list $rule) }}
{{- end }}

{{/*
A Gateway API route from the Gateway to the service, when route.enabled: an HTTPRoute, or a
GRPCRoute (route.kind). With a canary it splits the requests between the tracks (see castle-common.canaryRoute).
*/}}
{{- define "castle-common.route" -}}
{{- $r := .Values.route }}
{{- if and $r.enabled (ne (include "castle-common.canaryRoutedBy" .) "flagger") }}
{{- $port := include "castle-common.servicePort" (list . $r.port) | int }}
---
apiVersion: gateway.networking.k8s.io/v1
kind: {{ $r.kind }}
metadata:
  {{- include "castle-common.metadata" (dict "root" . "name" (include "castle-common.fullname" .) "annotations" $r.annotations) | nindent 2 }}
spec:
  parentRefs:
    {{- toYaml $r.parentRefs | nindent 4 }}
  {{- with $r.hostnames }}
  hostnames:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  rules:
    {{- include "castle-common.splitRules" (dict "root" . "kind" $r.kind "port" $port "paths" $r.paths) | nindent 4 }}
{{- end }}
{{- end }}

{{/* The TLS values with their defaults filled in: secretName <fullname>-tls. */}}
{{- define "castle-common.tlsSecretName" -}}
{{- .Values.tls.secretName | default (include "castle-common.suffixedName" (list . "tls")) }}
{{- end }}

{{/* The Ingress of the service, when ingress.enabled. Arguments: dict of root, name, backend, annotations (of the canary), tls (bool). */}}
{{- define "castle-common.ingressObject" -}}
{{- $root := .root }}
{{- $i := $root.Values.ingress }}
{{- $port := include "castle-common.servicePort" (list $root $i.port) | int }}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  {{- include "castle-common.metadata" (dict "root" $root "name" .name "labels" .labels "annotations" .annotations) | nindent 2 }}
spec:
  {{- with $i.className }}
  ingressClassName: {{ . | toJson }}
  {{- end }}
  {{- if .tls }}
  tls:
    - secretName: {{ include "castle-common.tlsSecretName" $root | toJson }}
      {{- with $i.hosts }}
      hosts:
        {{- toYaml . | nindent 8 }}
      {{- end }}
  {{- end }}
  rules:
    {{- $paths := list }}
    {{- range $i.paths | default (list "/") }}
    {{- $match := include "castle-common.pathMatch" . | fromYaml }}
    {{- $paths = append $paths (dict "path" $match.value "pathType" (ternary "Exact" "Prefix" (eq $match.type "Exact")) "backend" (dict "service" (dict "name" $.backend "port" (dict "number" $port)))) }}
    {{- end }}
    {{- range $i.hosts }}
    - host: {{ . | toJson }}
      http:
        paths:
          {{- toYaml $paths | nindent 10 }}
    {{- else }}
    - http:
        paths:
          {{- toYaml $paths | nindent 10 }}
    {{- end }}
{{- end }}

{{/* The service's Ingress, when ingress.enabled; with tls.issuer (and no Certificate of its own) cert-manager's annotation. */}}
{{- define "castle-common.ingress" -}}
{{- if .Values.ingress.enabled }}
{{- $tls := .Values.tls | default dict }}
{{- $annotations := .Values.ingress.annotations | default dict }}
{{- if and $tls.enabled $tls.issuer (not $tls.certificate) }}
{{- $key := ternary "cert-manager.io/cluster-issuer" "cert-manager.io/issuer" (eq $tls.issuerKind "ClusterIssuer") }}
{{- $annotations = merge (dict $key $tls.issuer) $annotations }}
{{- end }}
---
{{ include "castle-common.ingressObject" (dict "root" . "name" (include "castle-common.fullname" .) "backend" (include "castle-common.serviceName" .) "annotations" $annotations "tls" $tls.enabled) }}
{{- end }}
{{- end }}

{{/* A cert-manager Certificate for the exposed hosts, when tls.certificate and the cluster serves the API (or tls.force). */}}
{{- define "castle-common.certificate" -}}
{{- $tls := .Values.tls }}
{{- if include "castle-common.apiAvailable" (list (and $tls.enabled $tls.certificate $tls.issuer) $tls.force . "cert-manager.io/v1/Certificate") }}
{{- $hosts := ternary .Values.ingress.hosts .Values.route.hostnames .Values.ingress.enabled }}
{{- if $hosts }}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  {{- include "castle-common.metadata" (dict "root" . "name" (include "castle-common.fullname" .)) | nindent 2 }}
spec:
  secretName: {{ include "castle-common.tlsSecretName" . | toJson }}
  issuerRef:
    name: {{ $tls.issuer | toJson }}
    kind: {{ $tls.issuerKind }}
    group: cert-manager.io
  dnsNames:
    {{- toYaml $hosts | nindent 4 }}
{{- end }}
{{- end }}
{{- end }}
