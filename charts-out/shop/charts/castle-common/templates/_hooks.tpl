{{/*
Lifecycle Jobs (hooks: name -> when, weight, image, command, args, backoffLimit, ...) run by Helm
(helm.sh/hook), or by Argo CD (argocd.argoproj.io/hook) when rendered with global.offline for the
Kustomize output, with the service's environment, configuration (a hook copy of the ConfigMap:
pre-install hooks run before the release's resources exist) and dependency waits; their pods are
labelled castle.dev/track: hook, outside every selector.
*/}}
{{- define "castle-common.hooks" -}}
{{- $root := . }}
{{- $offline := (.Values.global).offline }}
{{- $hookConfig := include "castle-common.suffixedName" (list . "hook") }}
{{- $phases := list }}
{{- range $name, $hook := .Values.hooks }}
{{- if $hook.enabled }}
{{- $phases = concat $phases $hook.when }}
{{- $argo := "PostSync" }}
{{- range $hook.when }}{{ if and (hasPrefix "pre-" .) (ne . "pre-delete") }}{{ $argo = "PreSync" }}{{ end }}{{ end }}
{{- if and (ne $argo "PreSync") (has "post-delete" $hook.when) }}{{ $argo = "PostDelete" }}{{ end }}
{{- $annotations := dict }}
{{- if $offline }}
{{- $annotations = dict "argocd.argoproj.io/hook" $argo "argocd.argoproj.io/hook-delete-policy" "BeforeHookCreation" "argocd.argoproj.io/sync-wave" (toString (int $hook.weight)) }}
{{- else }}
{{- $annotations = dict "helm.sh/hook" (join "," $hook.when) "helm.sh/hook-weight" (toString (int $hook.weight)) "helm.sh/hook-delete-policy" "before-hook-creation,hook-succeeded" }}
{{- end }}
{{- $image := $root.Values.image }}
{{- if $hook.image.repository }}{{ $image = merge (deepCopy $hook.image) (dict "pullPolicy" $root.Values.image.pullPolicy) }}{{ end }}
---
apiVersion: batch/v1
kind: Job
metadata:
  {{- include "castle-common.metadata" (dict "root" $root "name" (include "castle-common.suffixedName" (list $root $name)) "labels" (dict "castle.dev/hook" $name) "annotations" $annotations) | nindent 2 }}
spec:
  backoffLimit: {{ $hook.backoffLimit }}
  {{- if $hook.activeDeadlineSeconds }}
  activeDeadlineSeconds: {{ $hook.activeDeadlineSeconds }}
  {{- end }}
  ttlSecondsAfterFinished: {{ $hook.ttlSecondsAfterFinished }}
  template:
    {{- include "castle-common.podTemplate" (dict "root" $root "track" "hook" "hook" (merge (dict "name" $name) $hook) "image" $image "configName" $hookConfig) | nindent 4 }}
{{- end }}
{{- end }}
{{- if and $phases (include "castle-common.hasConfig" .) }}
{{- $annotations := dict }}
{{- if $offline }}
{{- $annotations = dict "argocd.argoproj.io/hook" "PreSync" "argocd.argoproj.io/hook-delete-policy" "BeforeHookCreation" "argocd.argoproj.io/sync-wave" "-100" }}
{{- else }}
{{- $annotations = dict "helm.sh/hook" ($phases | uniq | sortAlpha | join ",") "helm.sh/hook-weight" "-100" "helm.sh/hook-delete-policy" "before-hook-creation" }}
{{- end }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  {{- include "castle-common.metadata" (dict "root" . "name" $hookConfig "annotations" $annotations) | nindent 2 }}
data:
  {{- include "castle-common.configData" . | nindent 2 }}
{{- end }}
{{- end }}
