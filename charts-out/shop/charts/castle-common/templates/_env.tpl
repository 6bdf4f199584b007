{{/*
The container's environment as one dict name -> {value | valueFrom, dependsOn}, set into the dict
given as into (it prints nothing: handing the dict and then the list back as YAML text to be parsed
again was most of the cost of a pod's environment): what castle injects (tracing, logs, dependency
addresses and credentials), then the chart's env (which wins), then the overrides given by the
caller (a canary's env). Arguments: dict of root, overrides, configName (the ConfigMap configKey
entries read) and into.
*/}}
{{- define "castle-common.envDict" -}}
{{- $root := .root }}
{{- $v := $root.Values }}
{{- $all := .into }}
{{- $tracing := $v.tracing | default dict }}
{{- if $tracing.enabled }}
{{- $_ := set $all "POD_NAMESPACE" (dict "valueFrom" (dict "fieldRef" (dict "fieldPath" "metadata.namespace"))) }}
{{- $_ := set $all "OTEL_SERVICE_NAME" (dict "value" $root.Chart.Name) }}
{{- /* a tracing component of the release: {release} in its endpoint stands for the release name */}}
{{- $_ := set $all "OTEL_EXPORTER_OTLP_ENDPOINT" (dict "value" (replace "{release}" $root.Release.Name (toString $tracing.endpoint))) }}
{{- $_ := set $all "OTEL_EXPORTER_OTLP_PROTOCOL" (dict "value" (toString $tracing.protocol)) }}
{{- $_ := set $all "OTEL_TRACES_SAMPLER" (dict "value" (toString $tracing.sampler)) }}
{{- $_ := set $all "OTEL_TRACES_SAMPLER_ARG" (dict "value" (toString $tracing.ratio)) }}
{{- $attributes := printf "service.version=%s,service.namespace=%s,k8s.namespace.name=$(POD_NAMESPACE),deployment.environment=%s" (toString $root.Chart.AppVersion) (toString $v.partOf) $root.Release.Namespace }}
{{- $_ := set $all "OTEL_RESOURCE_ATTRIBUTES" (dict "value" $attributes "dependsOn" (list "POD_NAMESPACE")) }}
{{- end }}
{{- with $v.logging }}
{{- if .format }}{{ $_ := set $all "LOG_FORMAT" (dict "value" (toString .format)) }}{{ end }}
{{- if .level }}{{ $_ := set $all "LOG_LEVEL" (dict "value" (toString .level)) }}{{ end }}
{{- end }}
{{- range $depName, $dep := $v.dependencies }}
{{- if $dep.enabled }}
{{- $host := replace "{release}" $root.Release.Name (toString ($dep.host | default "")) }}
{{- $secretVars := keys (($dep.credentials | default dict).env | default dict) | sortAlpha }}
{{- range $name, $format := $dep.env }}
{{- $value := replace "{host}" $host (toString $format) | replace "{port}" (toString (int $dep.port)) | replace "{release}" $root.Release.Name }}
{{- $needs := list }}
{{- range $secretVars }}{{ if contains (printf "$(%s)" .) $value }}{{ $needs = append $needs . }}{{ end }}{{ end }}
{{- $entry := dict "value" $value }}
{{- with $needs }}{{ $_ := set $entry "dependsOn" . }}{{ end }}
{{- $_ := set $all $name $entry }}
{{- end }}
{{- with $dep.credentials }}
{{- $secret := replace "{release}" $root.Release.Name (toString .secret) }}
{{- range $name, $key := .env }}
{{- $_ := set $all $name (dict "valueFrom" (dict "secretKeyRef" (dict "name" $secret "key" $key))) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- range $name, $entry := $v.env }}
{{- if kindIs "map" $entry }}
{{- $_ := set $all $name (include "castle-common.envEntry" (dict "root" $root "entry" $entry "configName" $.configName) | fromYaml) }}
{{- else }}
{{- $_ := set $all $name (dict "value" (toString $entry)) }}
{{- end }}
{{- end }}
{{- range $name, $value := .overrides }}
{{- $_ := set $all $name (dict "value" (toString $value)) }}
{{- end }}
{{- end }}

{{/*
One entry of env in Kubernetes form: a scalar is a literal; a map has one of value, configKey (a key
of the chart's ConfigMap), secretKeyRef, configMapKeyRef, fieldRef, resourceFieldRef, and may list
the variables its $(VAR) references need (dependsOn). Arguments: dict of root, entry and configName.
*/}}
{{- define "castle-common.envEntry" -}}
{{- $entry := .entry }}
{{- if not (kindIs "map" $entry) }}
value: {{ toString $entry | toJson }}
{{- else }}
{{- if hasKey $entry "value" }}
value: {{ toString $entry.value | toJson }}
{{- else if $entry.configKey }}
valueFrom:
  configMapKeyRef:
    name: {{ .configName | default (include "castle-common.fullname" .root) }}
    key: {{ $entry.configKey | toJson }}
{{- else if $entry.resourceFieldRef }}
valueFrom:
  resourceFieldRef:
    {{- toYaml (merge (dict "containerName" .root.Chart.Name) $entry.resourceFieldRef) | nindent 4 }}
{{- else }}
valueFrom:
  {{- toYaml (pick $entry "secretKeyRef" "configMapKeyRef" "fieldRef") | nindent 2 }}
{{- end }}
{{- with $entry.dependsOn }}
dependsOn:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The env list of a container: every variable once, each after the variables its $(VAR) references
need (Kubernetes expands a reference only to a variable defined earlier), by name otherwise. What
a variable needs is its dependsOn, or else the $(VAR) references in its value (dependency
addresses, a canary's env, values set at install time). Arguments: as castle-common.envDict; the
list is set as the key env of into (it prints nothing).
*/}}
{{- define "castle-common.env" -}}
{{- $all := dict }}
{{- $_ := include "castle-common.envDict" (dict "root" .root "overrides" .overrides "configName" .configName "into" $all) }}
{{- /* what each variable needs defined first: its dependsOn, or else the $(VAR) references in its value */}}
{{- $needs := dict }}
{{- $out := list }}
{{- $done := dict }}
{{- $waiting := list }}
{{- range $name := keys $all | sortAlpha }}
{{- $entry := get $all $name }}
{{- $list := $entry.dependsOn | default list }}
{{- if and (not $list) (hasKey $entry "value") (contains "$(" (toString $entry.value)) }}
{{- range regexFindAll "\\$\\([-._a-zA-Z][-._a-zA-Z0-9]*\\)" (toString $entry.value) -1 }}
{{- $list = append $list (trimSuffix ")" (trimPrefix "$(" .)) }}
{{- end }}
{{- end }}
{{- if $list }}{{ $_ := set $needs $name $list }}{{ $waiting = append $waiting $name }}
{{- else }}{{ $out = append $out (merge (dict "name" $name) (omit $entry "dependsOn")) }}{{ $_ := set $done $name true }}
{{- end }}
{{- end }}
{{- range $pass := until (len $waiting) }}
{{- range $name := $waiting }}
{{- if not (hasKey $done $name) }}
{{- $ready := true }}
{{- range (get $needs $name) }}{{ if and (hasKey $all .) (ne . $name) (not (hasKey $done .)) }}{{ $ready = false }}{{ end }}{{ end }}
{{- if $ready }}
{{- $out = append $out (merge (dict "name" $name) (omit (get $all $name) "dependsOn")) }}
{{- $_ := set $done $name true }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- range $name := $waiting }}
{{- if not (hasKey $done $name) }}{{ $out = append $out (merge (dict "name" $name) (omit (get $all $name) "dependsOn")) }}{{ end }}
{{- end }}
{{- $_ := set .into "env" $out }}
{{- end }}
