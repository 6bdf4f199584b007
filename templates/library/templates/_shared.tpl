{{/* The ServiceAccounts several services share (serviceAccounts: name -> {create, annotations, automountServiceAccountToken}), each <release>-<name>. */}}
{{- define "castle-common.sharedServiceAccounts" -}}
{{- range $name, $account := .Values.serviceAccounts }}
{{- if $account.create }}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  {{- $metadata := include "castle-common.systemMetadata" (list $ $name) | fromYaml }}
  {{- with $account.annotations }}{{ $_ := set $metadata "annotations" (merge (deepCopy .) ($metadata.annotations | default dict)) }}{{ end }}
  {{- toYaml $metadata | nindent 2 }}
automountServiceAccountToken: {{ $account.automountServiceAccountToken }}
{{- end }}
{{- end }}
{{- end }}

{{/* The ConfigMaps several services read (global.sharedConfig: name -> {key: text}), each <release>-<name>. */}}
{{- define "castle-common.sharedConfigMaps" -}}
{{- range $name, $data := .Values.global.sharedConfig }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  {{- include "castle-common.systemMetadata" (list $ $name) | nindent 2 }}
data:
  {{- toYaml ($data | default dict) | nindent 2 }}
{{- end }}
{{- end }}

{{/* The name of a shared ConfigMap. Arguments: (list . name). */}}
{{- define "castle-common.sharedConfigName" -}}
{{- printf "%s-%s" (index . 0).Release.Name (index . 1) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The pods' annotations for the shared configuration they read: checksum/config-<name>, so they roll when it changes. */}}
{{- define "castle-common.sharedConfigAnnotations" -}}
{{- $out := dict }}
{{- $global := (.Values.global | default dict).sharedConfig | default dict }}
{{- range $name, $_ := .Values.sharedConfig }}
{{- $_ := set $out (printf "checksum/config-%s" $name) (get $global $name | toJson | sha256sum) }}
{{- end }}
{{- toYaml $out }}
{{- end }}

{{/* envFrom entries of the shared configuration with envFrom. */}}
{{- define "castle-common.sharedConfigEnvFrom" -}}
{{- $root := . }}
{{- $out := list }}
{{- range $name, $use := .Values.sharedConfig }}
{{- if $use.envFrom }}{{ $out = append $out (dict "configMapRef" (dict "name" (include "castle-common.sharedConfigName" (list $root $name)))) }}{{ end }}
{{- end }}
{{- toYaml $out }}
{{- end }}

{{/* Volume mounts of the shared configuration with a mountPath or single keys at paths of their own (volumes shared-config-<name>). */}}
{{- define "castle-common.sharedConfigMounts" -}}
{{- $out := list }}
{{- range $name, $use := .Values.sharedConfig }}
{{- $volume := printf "shared-config-%s" $name | trunc 63 | trimSuffix "-" }}
{{- if $use.mountPath }}{{ $out = append $out (dict "name" $volume "mountPath" $use.mountPath "readOnly" true) }}{{ end }}
{{- range $key, $path := $use.mounts }}{{ $out = append $out (dict "name" $volume "mountPath" $path "subPath" $key "readOnly" true) }}{{ end }}
{{- end }}
{{- toYaml $out }}
{{- end }}

{{/* Volumes of the shared configuration with a mountPath or mounts. */}}
{{- define "castle-common.sharedConfigVolumes" -}}
{{- $root := . }}
{{- $out := list }}
{{- range $name, $use := .Values.sharedConfig }}
{{- if or $use.mountPath $use.mounts }}{{ $out = append $out (dict "name" (printf "shared-config-%s" $name | trunc 63 | trimSuffix "-") "configMap" (dict "name" (include "castle-common.sharedConfigName" (list $root $name)))) }}{{ end }}
{{- end }}
{{- toYaml $out }}
{{- end }}
