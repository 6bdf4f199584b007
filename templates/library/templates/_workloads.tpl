{{/* Whether something else than .Values.replicaCount sets the pods: an HPA, or a KEDA ScaledObject that renders. */}}
{{- define "castle-common.autoscaled" -}}
{{- if (.Values.autoscaling | default dict).enabled }}true
{{- else if include "castle-common.kedaRenders" . }}true
{{- end }}
{{- end }}

{{/* Whether a custom resource renders: (list enabled force root "group/version/Kind"). */}}
{{- define "castle-common.apiAvailable" -}}
{{- $root := index . 2 }}
{{- if and (index . 0) (or (index . 1) ($root.Capabilities.APIVersions.Has (index . 3))) }}true{{ end }}
{{- end }}

{{/*
Sets, in the pod arguments given as the second element, what a canary's pods get: the canary's
image, env and, when canary.configData changes keys, its own ConfigMap. Arguments: (list . podArgs).
*/}}
{{- define "castle-common.canaryPods" -}}
{{- $root := index . 0 }}
{{- $pods := index . 1 }}
{{- $c := $root.Values.canary }}
{{- $_ := set $pods "image" (merge (deepCopy $c.image) (dict "pullPolicy" $root.Values.image.pullPolicy)) }}
{{- $_ := set $pods "envOverrides" $c.env }}
{{- if and $c.configData (include "castle-common.hasConfig" $root) }}
{{- $_ := set $pods "configName" (include "castle-common.canaryName" $root) }}
{{- $_ := set $pods "configData" (include "castle-common.canaryConfigData" $root) }}
{{- end }}
{{- end }}

{{/* The canary's ConfigMap data: config.data with canary.configData laid over it, and the files. */}}
{{- define "castle-common.canaryConfigData" -}}
{{- $config := .Values.config | default dict }}
{{- $data := dict }}
{{- range $key, $value := $config.data }}{{ $_ := set $data $key (toString $value) }}{{ end }}
{{- range $key, $value := .Values.canary.configData }}{{ $_ := set $data $key (toString $value) }}{{ end }}
{{- range $key, $value := $config.files }}{{ $_ := set $data $key $value }}{{ end }}
{{- toYaml $data }}
{{- end }}

{{/*
The Deployment of a service; with the argo-rollouts canary strategy an Argo Rollouts Rollout, from
the first release (Argo Rollouts runs the canary steps whenever the pod template changes). With
the argo-rollouts and flagger strategies, canary.enabled gives the pods the canary's image, env and
config, so the helm upgrade that enables it starts a rollout or an analysis.
*/}}
{{- define "castle-common.deployment" -}}
{{- $strategy := include "castle-common.canaryStrategy" . }}
{{- $pods := dict "root" . "track" "stable" }}
{{- if and (has $strategy (list "argo-rollouts" "flagger")) .Values.canary.enabled }}
{{- include "castle-common.canaryPods" (list . $pods) }}
{{- end }}
{{- if eq $strategy "argo-rollouts" }}
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
{{- else }}
---
apiVersion: apps/v1
kind: Deployment
{{- end }}
metadata:
  {{- include "castle-common.metadata" (dict "root" . "name" (include "castle-common.fullname" .)) | nindent 2 }}
spec:
  {{- if not (include "castle-common.autoscaled" .) }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  revisionHistoryLimit: {{ .Values.revisionHistoryLimit }}
  {{- include "castle-common.rolloutTiming" . | nindent 2 }}
  {{- if ne $strategy "argo-rollouts" }}
  {{- with .Values.updateStrategy }}
  strategy:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "castle-common.workloadSelectorLabels" . | nindent 6 }}
  template:
    {{- include "castle-common.podTemplate" $pods | nindent 4 }}
  {{- if eq $strategy "argo-rollouts" }}
  {{- include "castle-common.rolloutStrategy" . | nindent 2 }}
  {{- end }}
{{- end }}

{{/* A Deployment's (or Rollout's) minReadySeconds when set, and progressDeadlineSeconds. */}}
{{- define "castle-common.rolloutTiming" -}}
{{- if .Values.minReadySeconds }}minReadySeconds: {{ .Values.minReadySeconds }}
{{ end -}}
progressDeadlineSeconds: {{ .Values.progressDeadlineSeconds }}
{{- end }}

{{/*
The name of a StatefulSet or CronJob: the full name cut to 52 characters (the controller adds a
suffix to the names and labels it derives from it, which must stay within 63).
*/}}
{{- define "castle-common.shortName" -}}
{{- include "castle-common.fullname" . | trunc 52 | trimSuffix "-" }}
{{- end }}

{{/* The workload a scaler or a canary controller targets: apiVersion, kind, name. Arguments: (list . kind). */}}
{{- define "castle-common.workloadRef" -}}
{{- $root := index . 0 }}
{{- $kind := index . 1 }}
{{- if eq $kind "StatefulSet" }}
apiVersion: apps/v1
kind: StatefulSet
name: {{ include "castle-common.shortName" $root }}
{{- else if eq (include "castle-common.canaryStrategy" $root) "argo-rollouts" }}
apiVersion: argoproj.io/v1alpha1
kind: Rollout
name: {{ include "castle-common.fullname" $root }}
{{- else }}
apiVersion: apps/v1
kind: Deployment
name: {{ include "castle-common.fullname" $root }}
{{- end }}
{{- end }}

{{/* The StatefulSet of a service, with its claims from volumeClaimTemplates. */}}
{{- define "castle-common.statefulset" -}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  {{- include "castle-common.metadata" (dict "root" . "name" (include "castle-common.shortName" .)) | nindent 2 }}
spec:
  {{- if not (include "castle-common.autoscaled" .) }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  {{- include "castle-common.statefulsetSpec" (dict "root" . "track" "stable") | nindent 2 }}
  selector:
    matchLabels:
      {{- include "castle-common.workloadSelectorLabels" . | nindent 6 }}
  template:
    {{- include "castle-common.podTemplate" (dict "root" . "track" "stable" "claimTemplates" true) | nindent 4 }}
  {{- include "castle-common.volumeClaimTemplates" (dict "root" . "track" "stable") | nindent 2 }}
{{- end }}

{{/* What a StatefulSet of a track has besides replicas, selector and pods. Arguments: dict of root and track. */}}
{{- define "castle-common.statefulsetSpec" -}}
{{- $v := .root.Values }}
revisionHistoryLimit: {{ $v.revisionHistoryLimit }}
{{- with $v.minReadySeconds }}
minReadySeconds: {{ . }}
{{- end }}
serviceName: {{ include "castle-common.suffixedName" (list .root "headless") }}
podManagementPolicy: {{ $v.statefulSet.podManagementPolicy }}
{{- $update := $v.updateStrategy }}
{{- /* the canary's pods all take the canary's version: the stable set's partition is not theirs */}}
{{- if and (eq .track "canary") $update }}{{ $update = omit $update "rollingUpdate" }}{{ end }}
{{- with $update }}
updateStrategy:
  {{- toYaml . | nindent 2 }}
{{- end }}
persistentVolumeClaimRetentionPolicy:
  {{- if eq .track "canary" }}
  whenDeleted: Delete
  whenScaled: Delete
  {{- else }}
  {{- toYaml $v.statefulSet.persistentVolumeClaimRetentionPolicy | nindent 2 }}
  {{- end }}
{{- end }}

{{/* volumeClaimTemplates of the persistent volumes. Arguments: dict of root and track. */}}
{{- define "castle-common.volumeClaimTemplates" -}}
{{- $root := .root }}
{{- $claims := list }}
{{- range $name, $volume := $root.Values.volumes }}
{{- if and $volume.persistence (not $volume.existingClaim) }}
{{- $claims = append $claims (dict "apiVersion" "v1" "kind" "PersistentVolumeClaim" "metadata" (dict "name" $name "labels" (include "castle-common.selectorLabels" $root | fromYaml)) "spec" (include "castle-common.claimSpec" $volume.persistence | fromYaml)) }}
{{- end }}
{{- end }}
{{- with $claims }}
volumeClaimTemplates:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* The spec of a claim from persistence values {size, storageClass, accessModes}. */}}
{{- define "castle-common.claimSpec" -}}
accessModes:
  {{- toYaml (.accessModes | default (list "ReadWriteOnce")) | nindent 2 }}
{{- with .storageClass }}
storageClassName: {{ . | toJson }}
{{- end }}
resources:
  requests:
    storage: {{ .size | toString | toJson }}
{{- end }}

{{/* Claims of a Deployment's persistent volumes; kept when the release is deleted. */}}
{{- define "castle-common.persistentVolumeClaims" -}}
{{- $root := . }}
{{- range $name, $volume := .Values.volumes }}
{{- if and $volume.persistence (not $volume.existingClaim) }}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  {{- include "castle-common.metadata" (dict "root" $root "name" (include "castle-common.suffixedName" (list $root $name)) "annotations" (dict "helm.sh/resource-policy" "keep")) | nindent 2 }}
spec:
  {{- include "castle-common.claimSpec" $volume.persistence | nindent 2 }}
{{- end }}
{{- end }}
{{- end }}

{{/* The spec of a Job from .Values.job. Arguments: dict of root and pods (the pod template arguments). */}}
{{- define "castle-common.jobSpec" -}}
{{- $job := .root.Values.job }}
backoffLimit: {{ $job.backoffLimit }}
{{- if $job.activeDeadlineSeconds }}
activeDeadlineSeconds: {{ $job.activeDeadlineSeconds }}
{{- end }}
ttlSecondsAfterFinished: {{ $job.ttlSecondsAfterFinished }}
parallelism: {{ $job.parallelism }}
completions: {{ $job.completions }}
template:
  {{- include "castle-common.podTemplate" .pods | nindent 2 }}
{{- end }}

{{/* A Job run once per release. */}}
{{- define "castle-common.job" -}}
---
apiVersion: batch/v1
kind: Job
metadata:
  {{- include "castle-common.metadata" (dict "root" . "name" (include "castle-common.fullname" .)) | nindent 2 }}
spec:
  {{- include "castle-common.jobSpec" (dict "root" . "pods" (dict "root" . "track" "stable")) | nindent 2 }}
{{- end }}

{{/* A CronJob. */}}
{{- define "castle-common.cronjob" -}}
{{- $cron := .Values.cronJob }}
---
apiVersion: batch/v1
kind: CronJob
metadata:
  {{- include "castle-common.metadata" (dict "root" . "name" (include "castle-common.shortName" .)) | nindent 2 }}
spec:
  schedule: {{ $cron.schedule | toJson }}
  {{- with $cron.timeZone }}
  timeZone: {{ . | toJson }}
  {{- end }}
  concurrencyPolicy: {{ $cron.concurrencyPolicy }}
  startingDeadlineSeconds: {{ $cron.startingDeadlineSeconds }}
  successfulJobsHistoryLimit: {{ $cron.successfulJobsHistoryLimit }}
  failedJobsHistoryLimit: {{ $cron.failedJobsHistoryLimit }}
  suspend: {{ $cron.suspend }}
  jobTemplate:
    metadata:
      labels:
        {{- include "castle-common.labels" . | nindent 8 }}
    spec:
      {{- include "castle-common.jobSpec" (dict "root" . "pods" (dict "root" . "track" "stable")) | nindent 6 }}
{{- end }}
