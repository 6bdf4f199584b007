{{/* The PodDisruptionBudget, when podDisruptionBudget.enabled. Arguments: (list . kind). */}}
{{- define "castle-common.pdb" -}}
{{- $root := index . 0 }}
{{- $pdb := $root.Values.podDisruptionBudget }}
{{- if $pdb.enabled }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  {{- include "castle-common.metadata" (dict "root" $root "name" (include "castle-common.fullname" $root)) | nindent 2 }}
spec:
  {{- if or (kindIs "float64" $pdb.minAvailable) (kindIs "int64" $pdb.minAvailable) (kindIs "int" $pdb.minAvailable) }}
  minAvailable: {{ int $pdb.minAvailable }}
  {{- else if $pdb.minAvailable }}
  minAvailable: {{ $pdb.minAvailable | toJson }}
  {{- else if or (kindIs "float64" $pdb.maxUnavailable) (kindIs "int64" $pdb.maxUnavailable) (kindIs "int" $pdb.maxUnavailable) }}
  maxUnavailable: {{ int $pdb.maxUnavailable }}
  {{- else }}
  maxUnavailable: {{ $pdb.maxUnavailable | default 1 | toJson }}
  {{- end }}
  unhealthyPodEvictionPolicy: AlwaysAllow
  selector:
    matchLabels:
      {{- /* with flagger, the primary pods Flagger makes keep the stable labels: the budget covers them */}}
      {{- include "castle-common.stableSelectorLabels" $root | nindent 6 }}
{{- end }}
{{- end }}

{{/* The HorizontalPodAutoscaler (one per version when the service has versions), when autoscaling.enabled. Arguments: (list . kind). */}}
{{- define "castle-common.hpa" -}}
{{- $root := index . 0 }}
{{- $a := $root.Values.autoscaling }}
{{- if $a.enabled }}
{{- range $target := include "castle-common.scaleTargets" . | fromYamlArray }}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  {{- include "castle-common.metadata" (dict "root" $root "name" $target.name) | nindent 2 }}
spec:
  scaleTargetRef:
    {{- toYaml $target.ref | nindent 4 }}
  minReplicas: {{ $a.minReplicas }}
  maxReplicas: {{ $a.maxReplicas }}
  {{- $metrics := list }}
  {{- if $a.targetCPUUtilizationPercentage }}
  {{- $metrics = append $metrics (dict "type" "Resource" "resource" (dict "name" "cpu" "target" (dict "type" "Utilization" "averageUtilization" (int $a.targetCPUUtilizationPercentage)))) }}
  {{- end }}
  {{- if $a.targetMemoryUtilizationPercentage }}
  {{- $metrics = append $metrics (dict "type" "Resource" "resource" (dict "name" "memory" "target" (dict "type" "Utilization" "averageUtilization" (int $a.targetMemoryUtilizationPercentage)))) }}
  {{- end }}
  {{- $metrics = concat $metrics ($a.metrics | default list) }}
  {{- /* without metrics the HorizontalPodAutoscaler targets 80% of the CPU requests */}}
  {{- with $metrics }}
  metrics:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $a.behavior }}
  behavior:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/*
What an autoscaler scales, as a YAML list of {name, ref}: the service's workload under its
fullname, or each version's Deployment <fullname>-<version> under that name. Arguments: (list . kind).
*/}}
{{- define "castle-common.scaleTargets" -}}
{{- $root := index . 0 }}
{{- $targets := list }}
{{- if $root.Values.versions }}
{{- range $name, $_ := $root.Values.versions }}
{{- $deployment := include "castle-common.suffixedName" (list $root $name) }}
{{- $targets = append $targets (dict "name" $deployment "ref" (dict "apiVersion" "apps/v1" "kind" "Deployment" "name" $deployment)) }}
{{- end }}
{{- else }}
{{- $targets = append $targets (dict "name" (include "castle-common.fullname" $root) "ref" (include "castle-common.workloadRef" . | fromYaml)) }}
{{- end }}
{{- toYaml $targets }}
{{- end }}

{{/* Whether the KEDA ScaledObject renders: keda.enabled, and the cluster serves keda.sh/v1alpha1 or keda.force. */}}
{{- define "castle-common.kedaRenders" -}}
{{- $keda := .Values.keda | default dict }}
{{- include "castle-common.apiAvailable" (list $keda.enabled $keda.force . "keda.sh/v1alpha1/ScaledObject") }}
{{- end }}

{{/* A KEDA ScaledObject (instead of the HPA). Arguments: (list . kind). */}}
{{- define "castle-common.scaledobject" -}}
{{- $root := index . 0 }}
{{- if include "castle-common.kedaRenders" $root }}
{{- $keda := $root.Values.keda }}
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  {{- include "castle-common.metadata" (dict "root" $root "name" (include "castle-common.fullname" $root)) | nindent 2 }}
spec:
  scaleTargetRef:
    {{- include "castle-common.workloadRef" . | nindent 4 }}
  minReplicaCount: {{ $root.Values.autoscaling.minReplicas }}
  maxReplicaCount: {{ $root.Values.autoscaling.maxReplicas }}
  pollingInterval: {{ $keda.pollingInterval }}
  cooldownPeriod: {{ $keda.cooldownPeriod }}
  triggers:
    {{- toYaml $keda.triggers | nindent 4 }}
{{- end }}
{{- end }}

{{/* A VerticalPodAutoscaler (one per version when the service has versions; recommendations only by default). Arguments: (list . kind). */}}
{{- define "castle-common.vpa" -}}
{{- $root := index . 0 }}
{{- $vpa := $root.Values.vpa }}
{{- if include "castle-common.apiAvailable" (list $vpa.enabled $vpa.force $root "autoscaling.k8s.io/v1/VerticalPodAutoscaler") }}
{{- range $target := include "castle-common.scaleTargets" . | fromYamlArray }}
---
apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata:
  {{- include "castle-common.metadata" (dict "root" $root "name" $target.name) | nindent 2 }}
spec:
  targetRef:
    {{- toYaml $target.ref | nindent 4 }}
  updatePolicy:
    updateMode: {{ $vpa.updateMode | default "Off" | quote }}
{{- end }}
{{- end }}
{{- end }}
