{{/*
Versions of a service behind its one Service (versions: name -> {image, env, replicas, weight,
headers}): a Deployment <fullname>-<version> each, whose pods carry version: <name> beside the
service's labels, so the Service, the network policies and the disruption budget cover them all;
an autoscaler sets their replicas (castle-common.scaleTargets: one per version).
*/}}
{{- define "castle-common.versionDeployments" -}}
{{- $root := . }}
{{- range $name, $version := .Values.versions }}
{{- $labels := dict "version" $name }}
{{- $pods := dict "root" $root "track" "stable" "labels" $labels "image" (merge (deepCopy $version.image) (dict "pullPolicy" $root.Values.image.pullPolicy)) "envOverrides" $version.env }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  {{- include "castle-common.metadata" (dict "root" $root "name" (include "castle-common.suffixedName" (list $root $name)) "labels" $labels) | nindent 2 }}
spec:
  {{- if not (include "castle-common.autoscaled" $root) }}
  replicas: {{ $version.replicas }}
  {{- end }}
  revisionHistoryLimit: {{ $root.Values.revisionHistoryLimit }}
  {{- include "castle-common.rolloutTiming" $root | nindent 2 }}
  {{- with $root.Values.updateStrategy }}
  strategy:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "castle-common.stableSelectorLabels" $root | nindent 6 }}
      version: {{ $name | toJson }}
  template:
    {{- include "castle-common.podTemplate" $pods | nindent 4 }}
{{- end }}
{{- end }}

{{/*
The route rules between the versions: each version's headers first, then the rest by weight; with
paths (an HTTPRoute from a Gateway), every rule matches them (as castle-common.pathMatch writes them). Arguments: dict of root,
backends (name -> backendRef), paths (optional).
*/}}
{{- define "castle-common.versionRules" -}}
{{- $root := .root }}
{{- $paths := .paths | default list }}
{{- $rules := list }}
{{- $weighted := list }}
{{- range $name, $version := $root.Values.versions }}
{{- $backend := index $.backends $name }}
{{- if $version.headers }}
{{- $headers := list }}
{{- range $header, $value := $version.headers }}{{ $headers = append $headers (dict "name" $header "value" $value) }}{{ end }}
{{- $matches := list (dict "headers" $headers) }}
{{- if $paths }}
{{- $matches = list }}
{{- range $paths }}{{ $matches = append $matches (dict "path" (include "castle-common.pathMatch" . | fromYaml) "headers" $headers) }}{{ end }}
{{- end }}
{{- $rules = append $rules (dict "matches" $matches "backendRefs" (list $backend)) }}
{{- end }}
{{- $weighted = append $weighted (merge (dict "weight" (int $version.weight)) $backend) }}
{{- end }}
{{- $last := dict "backendRefs" $weighted }}
{{- if $paths }}{{ $_ := set $last "matches" (include "castle-common.pathMatches" $paths | fromYamlArray) }}{{ end }}
{{- toYaml (append $rules $last) }}
{{- end }}

{{/* The backendRefs of the versions: name -> the Service <fullname>-<version> on the given port. Arguments: (list . port). */}}
{{- define "castle-common.versionBackends" -}}
{{- $root := index . 0 }}
{{- $backends := dict }}
{{- range $name, $_ := $root.Values.versions }}
{{- $_ := set $backends $name (dict "name" (include "castle-common.suffixedName" (list $root $name)) "port" (index $ 1)) }}
{{- end }}
{{- toYaml $backends }}
{{- end }}

{{/* Routing between the versions inside the mesh (versionRouting), for calls of the service's Service: Istio subsets and a VirtualService, or a Service <fullname>-<version> per version and a GAMMA route <fullname>-versions (the exposure's route from a Gateway is <fullname>). */}}
{{- define "castle-common.versionRouting" -}}
{{- $root := . }}
{{- $fullname := include "castle-common.fullname" . }}
{{- $service := include "castle-common.serviceName" . }}
{{- $port := include "castle-common.servicePort" (list . .Values.versionPort) | int }}
{{- $mainPort := get .Values.ports .Values.versionPort }}
{{- if eq .Values.versionRouting "istio" }}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  {{- include "castle-common.metadata" (dict "root" . "name" $fullname) | nindent 2 }}
spec:
  host: {{ $service }}
  subsets:
    {{- range $name, $_ := .Values.versions }}
    - name: {{ $name }}
      labels:
        version: {{ $name | toJson }}
    {{- end }}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  {{- include "castle-common.metadata" (dict "root" . "name" $fullname) | nindent 2 }}
spec:
  hosts:
    - {{ $service }}
  http:
    {{- $routes := list }}
    {{- $weighted := list }}
    {{- range $name, $version := .Values.versions }}
    {{- $destination := dict "destination" (dict "host" $service "subset" $name "port" (dict "number" $port)) }}
    {{- if $version.headers }}
    {{- $headers := dict }}
    {{- range $header, $value := $version.headers }}{{ $_ := set $headers (lower $header) (dict "exact" $value) }}{{ end }}
    {{- $routes = append $routes (dict "name" $name "match" (list (dict "headers" $headers)) "route" (list $destination)) }}
    {{- end }}
    {{- $weighted = append $weighted (merge (dict "weight" (int $version.weight)) $destination) }}
    {{- end }}
    {{- toYaml (append $routes (dict "name" "weighted" "route" $weighted)) | nindent 4 }}
{{- else }}
{{- range $name, $_ := .Values.versions }}
{{- $serviceName := include "castle-common.suffixedName" (list $root $name) }}
---
apiVersion: v1
kind: Service
metadata:
  {{- include "castle-common.metadata" (dict "root" $root "name" $serviceName "labels" (dict "version" $name)) | nindent 2 }}
spec:
  type: ClusterIP
  ports:
    - name: {{ $root.Values.versionPort }}
      port: {{ $port }}
      targetPort: {{ $root.Values.versionPort }}
      protocol: {{ $mainPort.protocol | default "TCP" }}
      {{- with $mainPort.appProtocol }}
      appProtocol: {{ . | toJson }}
      {{- end }}
  selector:
    {{- include "castle-common.stableSelectorLabels" $root | nindent 4 }}
    version: {{ $name | toJson }}
{{- end }}
---
apiVersion: gateway.networking.k8s.io/v1
kind: {{ .Values.versionRouteKind }}
metadata:
  {{- include "castle-common.metadata" (dict "root" . "name" (include "castle-common.suffixedName" (list . "versions"))) | nindent 2 }}
spec:
  parentRefs:
    - group: ""
      kind: Service
      name: {{ $service }}
      port: {{ $port }}
  rules:
    {{- include "castle-common.versionRules" (dict "root" . "backends" (include "castle-common.versionBackends" (list . $port) | fromYaml)) | nindent 4 }}
{{- end }}
{{- end }}
