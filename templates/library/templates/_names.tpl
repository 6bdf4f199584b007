{{/*
castle-common: names, labels and images. Every template of this library takes the including
chart's context (.) or a dict of explicit arguments; nothing reads a value of another chart.
*/}}

{{/* The chart name, or nameOverride; at most 63 characters. */}}
{{- define "castle-common.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* <release>-<chart>, or fullnameOverride; at most 63 characters. */}}
{{- define "castle-common.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "castle-common.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* <fullname>-<suffix>: the full name cut to leave room for the suffix. Arguments: (list . suffix). */}}
{{- define "castle-common.suffixedName" -}}
{{- $suffix := index . 1 }}
{{- printf "%s-%s" (include "castle-common.fullname" (index . 0) | trunc (int (sub 62 (len $suffix))) | trimSuffix "-") $suffix }}
{{- end }}

{{/*
The name of the service's Service: service.name (the descriptor's serviceName, or the service's own
name when the system names its Services exactly), else <fullname>. Routes, the mesh, tests and
clients reach the service by it.
*/}}
{{- define "castle-common.serviceName" -}}
{{- ((.Values.service | default dict).name | default (include "castle-common.fullname" .)) }}
{{- end }}

{{/* The canary track's name: <fullname>-canary. */}}
{{- define "castle-common.canaryName" -}}
{{- include "castle-common.suffixedName" (list . "canary") }}
{{- end }}

{{/* chart-version, for the helm.sh/chart label. */}}
{{- define "castle-common.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* A label value Kubernetes accepts: at most 63 characters of [A-Za-z0-9_.-], alphanumeric at both ends. */}}
{{- define "castle-common.labelValue" -}}
{{- regexReplaceAll "[^A-Za-z0-9_.-]" (toString .) "_" | trunc 63 | trimAll "_.-" }}
{{- end }}

{{/* Labels that never change for the life of a release: the only ones selectors use. */}}
{{- define "castle-common.selectorLabels" -}}
app.kubernetes.io/name: {{ include "castle-common.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Selector of the stable track. Stable pods carry castle.dev/track: stable from the first release,
so that a canary (castle.dev/track: canary) added later changes no selector.
*/}}
{{- define "castle-common.stableSelectorLabels" -}}
{{ include "castle-common.selectorLabels" . }}
castle.dev/track: stable
{{- end }}

{{/* The canary track's pods. */}}
{{- define "castle-common.canarySelectorLabels" -}}
{{ include "castle-common.selectorLabels" . }}
castle.dev/track: canary
{{- end }}

{{/*
Selector of the workload. With the flagger strategy it is the single label app: <fullname>, as
Flagger asks: Flagger copies the Deployment into <fullname>-primary and renames that label in the
copy, so app.kubernetes.io/name, instance and track stay the same on the primary pods.
*/}}
{{- define "castle-common.workloadSelectorLabels" -}}
{{- if eq (include "castle-common.canaryStrategy" .) "flagger" }}
app: {{ include "castle-common.fullname" . }}
{{- else }}
{{- include "castle-common.stableSelectorLabels" . }}
{{- end }}
{{- end }}

{{/* Selector of the service's Service: both tracks with istio (the DestinationRule splits them), else the stable one. */}}
{{- define "castle-common.serviceSelectorLabels" -}}
{{- if eq (include "castle-common.canaryStrategy" .) "istio" }}
{{- include "castle-common.selectorLabels" . }}
{{- else }}
{{- include "castle-common.stableSelectorLabels" . }}
{{- end }}
{{- end }}

{{/* The canary strategy, empty when the chart has no canary values. */}}
{{- define "castle-common.canaryStrategy" -}}
{{- (.Values.canary | default dict).strategy | default "" }}
{{- end }}

{{/* Standard labels of every object, then commonLabels. */}}
{{- define "castle-common.labels" -}}
helm.sh/chart: {{ include "castle-common.chart" . }}
{{ include "castle-common.selectorLabels" . }}
app.kubernetes.io/version: {{ include "castle-common.labelValue" .Chart.AppVersion | quote }}
{{- with .Values.component }}
app.kubernetes.io/component: {{ . | quote }}
{{- end }}
{{- with .Values.partOf }}
app.kubernetes.io/part-of: {{ . | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
metadata of an object: name, labels (standard, commonLabels, then extra) and annotations
(commonAnnotations, then extra). Arguments: dict of root, name, and optional labels, annotations.
*/}}
{{- define "castle-common.metadata" -}}
{{- $root := .root -}}
name: {{ .name }}
labels:
  {{- include "castle-common.labels" $root | nindent 2 }}
  {{- with .labels }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- $annotations := merge (deepCopy (.annotations | default dict)) ($root.Values.commonAnnotations | default dict) }}
{{- with $annotations }}
annotations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* registry/repository:tag@digest. Arguments: (list image global); global.imageRegistry replaces the registry. */}}
{{- define "castle-common.imageRef" -}}
{{- $image := index . 0 }}
{{- $global := index . 1 | default dict }}
{{- $registry := $image.registry }}
{{- if $global.imageRegistry }}{{ $registry = $global.imageRegistry }}{{ end }}
{{- $ref := $image.repository }}
{{- if $registry }}{{ $ref = printf "%s/%s" $registry $ref }}{{ end }}
{{- if $image.tag }}{{ $ref = printf "%s:%v" $ref $image.tag }}{{ end }}
{{- if $image.digest }}{{ $ref = printf "%s@%s" $ref $image.digest }}{{ end }}
{{- $ref }}
{{- end }}

{{/* The chart's image. */}}
{{- define "castle-common.image" -}}
{{- include "castle-common.imageRef" (list .Values.image .Values.global) }}
{{- end }}

{{/* The ServiceAccount the pods run as: a shared one of the parent chart (<release>-<name>), the service's own, or an existing one. */}}
{{- define "castle-common.serviceAccountName" -}}
{{- if .Values.serviceAccount.shared }}
{{- printf "%s-%s" .Release.Name .Values.serviceAccount.shared | trunc 63 | trimSuffix "-" }}
{{- else if .Values.serviceAccount.create }}
{{- default (include "castle-common.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The port of the chart named by the argument: (list . portName); empty when there is none. */}}
{{- define "castle-common.servicePort" -}}
{{- $root := index . 0 }}
{{- with get ($root.Values.ports | default dict) (index . 1) }}{{ .servicePort | default .containerPort | int }}{{ end }}
{{- end }}

{{/* The ports the Service carries (expose true), as a dict name -> port. */}}
{{- define "castle-common.exposedPorts" -}}
{{- $ports := dict }}
{{- range $name, $port := .Values.ports }}{{ if $port.expose }}{{ $_ := set $ports $name $port }}{{ end }}{{ end }}
{{- toYaml $ports }}
{{- end }}
