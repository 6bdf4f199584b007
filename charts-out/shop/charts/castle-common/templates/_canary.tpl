{{/*
Canary releases. The strategy (canary.strategy) shapes the service's objects from the first
release: with istio the Service selects both tracks; with argo-rollouts the workload is a Rollout;
with flagger castle writes no Service (Flagger makes the primary and its Services). With
gateway-api, istio and ingress-nginx castle runs the canary track itself when canary.enabled.
*/}}

{{/* Who writes the service's route: flagger when Flagger's gateway-api provider does, else castle. */}}
{{- define "castle-common.canaryRoutedBy" -}}
{{- if and (eq (include "castle-common.canaryStrategy" .) "flagger") (eq .Values.canary.router "gateway-api") }}flagger{{ end }}
{{- end }}

{{/* Whether castle runs the canary track itself (a second workload and Service) now. */}}
{{- define "castle-common.canaryTrack" -}}
{{- if and (has (include "castle-common.canaryStrategy" .) (list "gateway-api" "istio" "ingress-nginx")) .Values.canary.enabled }}true{{ end }}
{{- end }}

{{/* The Cookie header of a request that asks for the canary (the cookie set to always). */}}
{{- define "castle-common.canaryCookieRegex" -}}
{{- printf "^(.*?;)?(%s=always)(;.*)?$" .Values.canary.cookie }}
{{- end }}

{{/*
Rules of a route to the service. Split between the versions' Services as their mesh route does
(versionRouting gateway-api), between the tracks when a canary runs (the canary's header and cookie
first, then the weights) or when Argo Rollouts weighs them; else all to the stable Service.
Arguments: dict of root, kind (HTTPRoute or GRPCRoute), port, paths.
*/}}
{{- define "castle-common.splitRules" -}}
{{- $root := .root }}
{{- $strategy := include "castle-common.canaryStrategy" $root }}
{{- $c := $root.Values.canary | default dict }}
{{- $stable := include "castle-common.serviceName" $root }}
{{- if and $root.Values.versions (eq ($root.Values.versionRouting | default "") "gateway-api") }}
{{- /* split between the versions' Services as the mesh route does, on the route's paths (HTTPRoute) */}}
{{- $http := eq .kind "HTTPRoute" }}
{{- include "castle-common.versionRules" (dict "root" $root "backends" (include "castle-common.versionBackends" (list $root .port) | fromYaml) "paths" (ternary (.paths | default (list "/")) list $http)) }}
{{- else if and (eq $strategy "argo-rollouts") (eq $c.router "gateway-api") }}
{{- /* weighted by Argo Rollouts between its stable and canary Services */}}
{{- include "castle-common.weightedRules" (merge (dict "headerRoutes" false "weight" 0) .) }}
{{- else if and (eq $strategy "gateway-api") $c.enabled }}
{{- include "castle-common.weightedRules" (merge (dict "headerRoutes" true "weight" $c.weight) .) }}
{{- else }}
{{- include "castle-common.routeRules" (dict "kind" .kind "paths" .paths "backend" $stable "port" .port) }}
{{- end }}
{{- end }}

{{/* Weighted rules between the stable and canary Services. Arguments: dict of root, kind, port, paths, headerRoutes, weight. */}}
{{- define "castle-common.weightedRules" -}}
{{- $root := .root }}
{{- $c := $root.Values.canary }}
{{- $stable := include "castle-common.serviceName" $root }}
{{- $canary := include "castle-common.canaryName" $root }}
{{- $http := eq .kind "HTTPRoute" }}
{{- $paths := .paths | default (list "/") }}
{{- $headers := list }}
{{- if .headerRoutes }}
{{- if $c.header.name }}{{ $headers = append $headers (dict "type" "Exact" "name" $c.header.name "value" $c.header.value) }}{{ end }}
{{- if $c.cookie }}{{ $headers = append $headers (dict "type" "RegularExpression" "name" "Cookie" "value" (include "castle-common.canaryCookieRegex" $root)) }}{{ end }}
{{- end }}
{{- $rules := list }}
{{- if $headers }}
{{- $matches := list }}
{{- range $header := $headers }}
{{- if $http }}
{{- range $paths }}{{ $matches = append $matches (dict "path" (include "castle-common.pathMatch" . | fromYaml) "headers" (list $header)) }}{{ end }}
{{- else }}
{{- $matches = append $matches (dict "headers" (list $header)) }}
{{- end }}
{{- end }}
{{- $rules = append $rules (dict "matches" $matches "backendRefs" (list (dict "name" $canary "port" .port))) }}
{{- end }}
{{- $weighted := dict "backendRefs" (list (dict "name" $stable "port" .port "weight" (sub 100 (int .weight))) (dict "name" $canary "port" .port "weight" (int .weight))) }}
{{- if $http }}{{ $_ := set $weighted "matches" (include "castle-common.pathMatches" $paths | fromYamlArray) }}{{ end }}
{{- toYaml (append $rules $weighted) }}
{{- end }}

{{/*
The canary track castle runs itself, when canary.enabled with the gateway-api, istio or
ingress-nginx strategy: the service's workload with the canary's image, env and config, labelled
castle.dev/track: canary, outside the stable selectors; its ConfigMap, its Service (not with
istio: the DestinationRule's subset splits the service's own), and a budget. Arguments: (list . kind).
*/}}
{{- define "castle-common.canary" -}}
{{- $root := index . 0 }}
{{- $kind := index . 1 }}
{{- $c := $root.Values.canary }}
{{- $strategy := include "castle-common.canaryStrategy" $root }}
{{- $name := include "castle-common.canaryName" $root }}
{{- $labels := dict "castle.dev/track" "canary" }}
{{- if include "castle-common.canaryTrack" $root }}
{{- $pods := dict "root" $root "track" "canary" "claimTemplates" (eq $kind "StatefulSet") }}
{{- include "castle-common.canaryPods" (list $root $pods) }}
---
apiVersion: apps/v1
kind: {{ $kind }}
metadata:
  {{- $workloadName := ternary (printf "%s-canary" (include "castle-common.fullname" $root | trunc 45 | trimSuffix "-")) $name (eq $kind "StatefulSet") }}
  {{- include "castle-common.metadata" (dict "root" $root "name" $workloadName "labels" $labels) | nindent 2 }}
spec:
  replicas: {{ $c.replicas }}
  {{- if eq $kind "StatefulSet" }}
  {{- include "castle-common.statefulsetSpec" (dict "root" $root "track" "canary") | nindent 2 }}
  {{- else }}
  revisionHistoryLimit: {{ $root.Values.revisionHistoryLimit }}
  {{- include "castle-common.rolloutTiming" $root | nindent 2 }}
  {{- with $root.Values.updateStrategy }}
  strategy:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "castle-common.canarySelectorLabels" $root | nindent 6 }}
  template:
    {{- include "castle-common.podTemplate" $pods | nindent 4 }}
  {{- if eq $kind "StatefulSet" }}
  {{- include "castle-common.volumeClaimTemplates" (dict "root" $root "track" "canary") | nindent 2 }}
  {{- end }}
{{- if gt (int $c.replicas) 1 }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  {{- include "castle-common.metadata" (dict "root" $root "name" $name "labels" $labels) | nindent 2 }}
spec:
  maxUnavailable: 1
  unhealthyPodEvictionPolicy: AlwaysAllow
  selector:
    matchLabels:
      {{- include "castle-common.canarySelectorLabels" $root | nindent 6 }}
{{- end }}
{{- if $pods.configData }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  {{- include "castle-common.metadata" (dict "root" $root "name" $name "labels" $labels) | nindent 2 }}
data:
  {{- $pods.configData | nindent 2 }}
{{- end }}
{{- end }}
{{- if and (has $strategy (list "argo-rollouts" "flagger")) $c.enabled $c.configData (include "castle-common.hasConfig" $root) }}
{{- /* the ConfigMap the pods read while the controller rolls the canary out */}}
---
apiVersion: v1
kind: ConfigMap
metadata:
  {{- include "castle-common.metadata" (dict "root" $root "name" $name "labels" $labels) | nindent 2 }}
data:
  {{- include "castle-common.canaryConfigData" $root | nindent 2 }}
{{- end }}
{{- $ports := include "castle-common.servicePorts" (dict "root" $root "nodePorts" false) | fromYamlArray }}
{{- if and $ports (or (and (include "castle-common.canaryTrack" $root) (ne $strategy "istio")) (eq $strategy "argo-rollouts")) }}
{{- /* the canary track's Service; with argo-rollouts the canaryService, which the controller narrows to a ReplicaSet */}}
---
apiVersion: v1
kind: Service
metadata:
  {{- include "castle-common.metadata" (dict "root" $root "name" $name "labels" $labels) | nindent 2 }}
spec:
  type: ClusterIP
  ports:
    {{- toYaml $ports | nindent 4 }}
  selector:
    {{- if eq $strategy "argo-rollouts" }}
    {{- include "castle-common.workloadSelectorLabels" $root | nindent 4 }}
    {{- else }}
    {{- include "castle-common.canarySelectorLabels" $root | nindent 4 }}
    {{- end }}
{{- end }}
{{- include "castle-common.canaryMeshRoute" $root }}
{{- if and (eq $strategy "ingress-nginx") $c.enabled $root.Values.ingress.enabled }}
---
{{- $annotations := dict "nginx.ingress.kubernetes.io/canary" "true" "nginx.ingress.kubernetes.io/canary-weight" (toString (int $c.weight)) }}
{{- if $c.header.name }}
{{- $_ := set $annotations "nginx.ingress.kubernetes.io/canary-by-header" $c.header.name }}
{{- $_ := set $annotations "nginx.ingress.kubernetes.io/canary-by-header-value" $c.header.value }}
{{- end }}
{{- if $c.cookie }}
{{- $_ := set $annotations "nginx.ingress.kubernetes.io/canary-by-cookie" $c.cookie }}
{{- end }}
{{- /* ingress-nginx takes TLS and every other setting from the main Ingress */}}
{{ include "castle-common.ingressObject" (dict "root" $root "name" $name "backend" $name "labels" $labels "annotations" $annotations "tls" false) }}
{{- end }}
{{- if or (eq $strategy "istio") (and (eq $strategy "argo-rollouts") (eq $c.router "istio")) }}
{{- include "castle-common.istioRouting" $root }}
{{- end }}
{{- if eq $strategy "flagger" }}
---
{{ include "castle-common.flaggerCanary" (list $root $kind) }}
{{- end }}
{{- end }}

{{/*
A mesh route (Gateway API for service meshes, GAMMA) whose parent is the service's own Service, so
that the mesh splits the calls made to <fullname> between the tracks: with gateway-api while a
canary runs, with argo-rollouts (gateway-api router) always; when the service has no route of its own.
*/}}
{{- define "castle-common.canaryMeshRoute" -}}
{{- $strategy := include "castle-common.canaryStrategy" . }}
{{- $c := .Values.canary }}
{{- $argo := and (eq $strategy "argo-rollouts") (eq $c.router "gateway-api") }}
{{- if and (not (.Values.route | default dict).enabled) (or $argo (and (eq $strategy "gateway-api") $c.enabled)) }}
{{- $port := include "castle-common.servicePort" (list . (.Values.service.mainPort | default "")) | int }}
{{- if $port }}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  {{- include "castle-common.metadata" (dict "root" . "name" (include "castle-common.fullname" .)) | nindent 2 }}
spec:
  parentRefs:
    - group: ""
      kind: Service
      name: {{ include "castle-common.serviceName" . }}
      port: {{ $port }}
  rules:
    {{- include "castle-common.weightedRules" (dict "root" . "kind" "HTTPRoute" "port" $port "paths" (list "/") "headerRoutes" (not $argo) "weight" (ternary 0 $c.weight $argo)) | nindent 4 }}
{{- end }}
{{- end }}
{{- end }}

{{/* The hosts of the Istio routing: the Service and the exposed host names. */}}
{{- define "castle-common.exposedHosts" -}}
{{- $hosts := list }}
{{- if .Values.route.enabled }}{{ $hosts = .Values.route.hostnames }}{{ else if .Values.ingress.enabled }}{{ $hosts = .Values.ingress.hosts }}{{ end }}
{{- toYaml ($hosts | default list) }}
{{- end }}

{{/*
Istio routing, from the first release (the objects keep their names whether a canary runs or not).
With istio the DestinationRule splits the Service's pods into the subsets stable and canary by
castle.dev/track, and the VirtualService sends the canary header and cookie to the canary subset,
then weighs the subsets. With argo-rollouts, Argo Rollouts weighs the route named primary between
its stable and canary Services and adds its header routes during a rollout.
*/}}
{{- define "castle-common.istioRouting" -}}
{{- $stable := include "castle-common.fullname" . }}
{{- $service := include "castle-common.serviceName" . }}
{{- $canary := include "castle-common.canaryName" . }}
{{- $c := .Values.canary }}
{{- $hosts := concat (list $service) (include "castle-common.exposedHosts" . | fromYamlArray) | uniq }}
{{- if eq (include "castle-common.canaryStrategy" .) "istio" }}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  {{- include "castle-common.metadata" (dict "root" . "name" $stable) | nindent 2 }}
spec:
  host: {{ $service }}
  subsets:
    - name: stable
      labels:
        castle.dev/track: stable
    - name: canary
      labels:
        castle.dev/track: canary
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  {{- include "castle-common.metadata" (dict "root" . "name" $stable) | nindent 2 }}
spec:
  hosts:
    {{- toYaml $hosts | nindent 4 }}
  {{- with $c.istioGateways }}
  gateways:
    - mesh
    {{- toYaml . | nindent 4 }}
  {{- end }}
  http:
    {{- if $c.enabled }}
    {{- if $c.header.name }}
    - name: canary-header
      match:
        - headers:
            {{ lower $c.header.name }}:
              exact: {{ $c.header.value | toJson }}
      route:
        - destination:
            host: {{ $service }}
            subset: canary
    {{- end }}
    {{- if $c.cookie }}
    - name: canary-cookie
      match:
        - headers:
            cookie:
              regex: {{ include "castle-common.canaryCookieRegex" . | toJson }}
      route:
        - destination:
            host: {{ $service }}
            subset: canary
    {{- end }}
    {{- end }}
    - name: primary
      route:
        - destination:
            host: {{ $service }}
            subset: stable
          weight: {{ if $c.enabled }}{{ sub 100 (int $c.weight) }}{{ else }}100{{ end }}
        {{- if $c.enabled }}
        - destination:
            host: {{ $service }}
            subset: canary
          weight: {{ int $c.weight }}
        {{- end }}
{{- else }}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  {{- include "castle-common.metadata" (dict "root" . "name" $stable) | nindent 2 }}
spec:
  hosts:
    {{- toYaml $hosts | nindent 4 }}
  {{- with $c.istioGateways }}
  gateways:
    - mesh
    {{- toYaml . | nindent 4 }}
  {{- end }}
  http:
    - name: primary
      route:
        - destination:
            host: {{ $service }}
          weight: 100
        - destination:
            host: {{ $canary }}
          weight: 0
{{- end }}
{{- end }}

{{/* The canary steps of a Rollout (argo-rollouts strategy), with its traffic router. */}}
{{- define "castle-common.rolloutStrategy" -}}
{{- $stable := include "castle-common.fullname" . }}
{{- $canary := include "castle-common.canaryName" . }}
{{- $c := .Values.canary }}
{{- $routes := list }}
{{- if ne $c.router "ingress-nginx" }}
{{- if $c.header.name }}
{{- $routes = append $routes (dict "name" "canary-header" "match" (list (dict "headerName" (lower $c.header.name) "headerValue" (dict "exact" $c.header.value)))) }}
{{- end }}
{{- if $c.cookie }}
{{- $routes = append $routes (dict "name" "canary-cookie" "match" (list (dict "headerName" "cookie" "headerValue" (dict "regex" (include "castle-common.canaryCookieRegex" .))))) }}
{{- end }}
{{- end }}
strategy:
  canary:
    stableService: {{ include "castle-common.serviceName" . }}
    canaryService: {{ $canary }}
    trafficRouting:
      {{- with $routes }}
      managedRoutes:
        {{- range . }}
        - name: {{ .name }}
        {{- end }}
      {{- end }}
      {{- if eq $c.router "gateway-api" }}
      plugins:
        argoproj-labs/gatewayAPI:
          namespace: {{ .Release.Namespace }}
          {{- if and .Values.route.enabled (eq .Values.route.kind "GRPCRoute") }}
          grpcRoutes:
          {{- else }}
          httpRoutes:
          {{- end }}
            - name: {{ $stable }}
              useHeaderRoutes: {{ not (empty $routes) }}
      {{- else if eq $c.router "istio" }}
      istio:
        virtualService:
          name: {{ $stable }}
          routes:
            - primary
      {{- else }}
      nginx:
        stableIngress: {{ $stable }}
        {{- $annotations := dict }}
        {{- if $c.header.name }}
        {{- $_ := set $annotations "canary-by-header" $c.header.name }}
        {{- $_ := set $annotations "canary-by-header-value" $c.header.value }}
        {{- end }}
        {{- if $c.cookie }}
        {{- $_ := set $annotations "canary-by-cookie" $c.cookie }}
        {{- end }}
        {{- with $annotations }}
        additionalIngressAnnotations:
          {{- toYaml . | nindent 10 }}
        {{- end }}
      {{- end }}
    steps:
      {{- range $index, $weight := $c.steps }}
      - setWeight: {{ $weight }}
      {{- if eq $index 0 }}
      {{- range $routes }}
      - setHeaderRoute:
          name: {{ .name }}
          match:
            {{- toYaml .match | nindent 12 }}
      {{- end }}
      {{- end }}
      - pause:
          duration: {{ $c.analysis.interval }}
      {{- end }}
{{- end }}

{{/*
The Flagger Canary of the service, from the first release. Flagger then makes what castle does
not write: the Deployment <fullname>-primary, its autoscaler, the Services <fullname>,
<fullname>-primary and <fullname>-canary, and the route (gateway-api), VirtualService (istio) or
canary Ingress (ingress-nginx). Every change of the Deployment's pod template starts an analysis.
Arguments: (list . kind).
*/}}
{{- define "castle-common.flaggerCanary" -}}
{{- $root := index . 0 }}
{{- $v := $root.Values }}
{{- $fullname := include "castle-common.fullname" $root }}
{{- $c := $v.canary }}
{{- $mainPort := $v.service.mainPort }}
{{- $port := get $v.ports $mainPort | default dict }}
apiVersion: flagger.app/v1beta1
kind: Canary
metadata:
  {{- include "castle-common.metadata" (dict "root" $root "name" $fullname) | nindent 2 }}
spec:
  {{- if eq $c.router "gateway-api" }}
  provider: gatewayapi:v1
  {{- else if eq $c.router "istio" }}
  provider: istio
  {{- else }}
  provider: nginx
  ingressRef:
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    name: {{ $fullname }}
  {{- end }}
  targetRef:
    {{- include "castle-common.workloadRef" . | nindent 4 }}
  {{- if $v.autoscaling.enabled }}
  autoscalerRef:
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    name: {{ $fullname }}
  {{- else if include "castle-common.kedaRenders" $root }}
  autoscalerRef:
    apiVersion: keda.sh/v1alpha1
    kind: ScaledObject
    name: {{ $fullname }}
  {{- end }}
  progressDeadlineSeconds: 600
  service:
    port: {{ include "castle-common.servicePort" (list $root $mainPort) }}
    targetPort: {{ $mainPort }}
    portName: {{ $mainPort }}
    {{- with $port.appProtocol }}
    appProtocol: {{ . | toJson }}
    {{- end }}
    {{- if gt (len $v.ports) 1 }}
    portDiscovery: true
    {{- end }}
    apex:
      labels:
        {{- include "castle-common.labels" $root | nindent 8 }}
    {{- if eq $c.router "gateway-api" }}
    {{- if $v.route.enabled }}
    {{- /* Flagger writes the route castle would have written (its HTTPRoute <fullname>) */}}
    gatewayRefs:
      {{- toYaml $v.route.parentRefs | nindent 6 }}
    {{- with $v.route.hostnames }}
    hosts:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    {{- $paths := $v.route.paths | default (list "/") }}
    {{- if not (and (eq (len $paths) 1) (eq (first $paths | toString) "/")) }}
    match:
      {{- range $paths }}
      {{- $match := include "castle-common.pathMatch" . | fromYaml }}
      - uri:
          {{ ternary "exact" "prefix" (eq $match.type "Exact") }}: {{ $match.value | toJson }}
      {{- end }}
    {{- end }}
    {{- else }}
    {{- /* a mesh route (GAMMA): its parent is the apex Service */}}
    gatewayRefs:
      - group: ""
        kind: Service
        name: {{ $fullname }}
        port: {{ include "castle-common.servicePort" (list $root $mainPort) }}
    {{- end }}
    {{- else if eq $c.router "istio" }}
    {{- with include "castle-common.exposedHosts" $root | fromYamlArray }}
    hosts:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    {{- with $c.istioGateways }}
    gateways:
      - mesh
      {{- toYaml . | nindent 6 }}
    {{- end }}
    {{- end }}
  analysis:
    interval: {{ $c.analysis.interval }}
    threshold: {{ $c.analysis.threshold }}
    maxWeight: {{ $c.analysis.maxWeight }}
    stepWeight: {{ $c.analysis.stepWeight }}
    metrics:
      - name: request-success-rate
        interval: 1m
        thresholdRange:
          min: {{ $c.analysis.successRate }}
      - name: request-duration
        interval: 1m
        thresholdRange:
          max: {{ $c.analysis.maxDurationMs }}
{{- end }}
