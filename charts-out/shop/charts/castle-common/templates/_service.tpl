{{/* The ports of a Service in Kubernetes form, from the ports with expose: true. Arguments: dict of root and nodePorts (bool). */}}
{{- define "castle-common.servicePorts" -}}
{{- $out := list }}
{{- range $name, $port := .root.Values.ports }}
{{- if $port.expose }}
{{- $entry := dict "name" $name "port" (int ($port.servicePort | default $port.containerPort)) "targetPort" $name "protocol" ($port.protocol | default "TCP") }}
{{- with $port.appProtocol }}{{ $_ := set $entry "appProtocol" . }}{{ end }}
{{- if and $.nodePorts $port.nodePort }}{{ $_ := set $entry "nodePort" (int $port.nodePort) }}{{ end }}
{{- $out = append $out $entry }}
{{- end }}
{{- end }}
{{- toYaml $out }}
{{- end }}

{{/* The service's Service, when service.enabled and a port has expose: true. */}}
{{- define "castle-common.service" -}}
{{- $s := .Values.service }}
{{- $ports := include "castle-common.servicePorts" (dict "root" . "nodePorts" (has $s.type (list "NodePort" "LoadBalancer"))) | fromYamlArray }}
{{- if and $s.enabled $ports (ne (include "castle-common.canaryStrategy" .) "flagger") }}
---
apiVersion: v1
kind: Service
metadata:
  {{- include "castle-common.metadata" (dict "root" . "name" (include "castle-common.serviceName" .) "annotations" $s.annotations) | nindent 2 }}
spec:
  type: {{ $s.type | default "ClusterIP" }}
  {{- if and $s.clusterIP (eq ($s.type | default "ClusterIP") "ClusterIP") }}
  clusterIP: {{ $s.clusterIP | toJson }}
  {{- end }}
  {{- if and $s.externalTrafficPolicy (has $s.type (list "NodePort" "LoadBalancer")) }}
  externalTrafficPolicy: {{ $s.externalTrafficPolicy }}
  {{- end }}
  {{- if and $s.loadBalancerSourceRanges (eq $s.type "LoadBalancer") }}
  loadBalancerSourceRanges:
    {{- toYaml $s.loadBalancerSourceRanges | nindent 4 }}
  {{- end }}
  ports:
    {{- toYaml $ports | nindent 4 }}
  selector:
    {{- include "castle-common.serviceSelectorLabels" . | nindent 4 }}
{{- end }}
{{- end }}

{{/* The governing Service of a StatefulSet: a stable DNS name per pod, ready or not. */}}
{{- define "castle-common.headlessService" -}}
---
apiVersion: v1
kind: Service
metadata:
  {{- include "castle-common.metadata" (dict "root" . "name" (include "castle-common.suffixedName" (list . "headless"))) | nindent 2 }}
spec:
  type: ClusterIP
  clusterIP: None
  publishNotReadyAddresses: true
  {{- with .Values.ports }}
  ports:
    {{- range $name, $port := . }}
    - name: {{ $name }}
      port: {{ $port.containerPort }}
      targetPort: {{ $name }}
      protocol: {{ $port.protocol | default "TCP" }}
    {{- end }}
  {{- end }}
  selector:
    {{- include "castle-common.workloadSelectorLabels" . | nindent 4 }}
{{- end }}

{{/* The service's ConfigMap, when it has config data or files. */}}
{{- define "castle-common.configmap" -}}
{{- if include "castle-common.hasConfig" . }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  {{- include "castle-common.metadata" (dict "root" . "name" (include "castle-common.fullname" .)) | nindent 2 }}
data:
  {{- include "castle-common.configData" . | nindent 2 }}
{{- end }}
{{- end }}

{{/* The service's ServiceAccount, when serviceAccount.create. */}}
{{- define "castle-common.serviceaccount" -}}
{{- if .Values.serviceAccount.create }}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  {{- include "castle-common.metadata" (dict "root" . "name" (include "castle-common.serviceAccountName" .) "annotations" .Values.serviceAccount.annotations) | nindent 2 }}
automountServiceAccountToken: {{ .Values.serviceAccount.automountServiceAccountToken }}
{{- end }}
{{- end }}

{{/* Whole manifests from extraObjects (name -> manifest), written as they are: never evaluated as templates. */}}
{{- define "castle-common.extraObjects" -}}
{{- range $name, $object := .Values.extraObjects }}
{{- if $object }}
---
{{ toYaml $object }}
{{- end }}
{{- end }}
{{- end }}

{{/* Further Services in front of the same pods (extraServices: name -> {enabled, type, ports: {<port name>: {port, nodePort}}, ...}), each <the Service's name>-<name>. */}}
{{- define "castle-common.extraServices" -}}
{{- $root := . }}
{{- range $name, $s := .Values.extraServices }}
{{- if $s.enabled }}
{{- $outside := has $s.type (list "NodePort" "LoadBalancer") }}
---
apiVersion: v1
kind: Service
metadata:
  {{- include "castle-common.metadata" (dict "root" $root "name" (printf "%s-%s" (include "castle-common.serviceName" $root) $name | trunc 63 | trimSuffix "-") "annotations" $s.annotations) | nindent 2 }}
spec:
  type: {{ $s.type }}
  {{- if and $s.externalTrafficPolicy $outside }}
  externalTrafficPolicy: {{ $s.externalTrafficPolicy }}
  {{- end }}
  {{- if and $s.loadBalancerSourceRanges (eq $s.type "LoadBalancer") }}
  loadBalancerSourceRanges:
    {{- toYaml $s.loadBalancerSourceRanges | nindent 4 }}
  {{- end }}
  ports:
    {{- range $portName, $port := $s.ports }}
    {{- $target := index $root.Values.ports $portName }}
    - name: {{ $portName }}
      port: {{ int $port.port }}
      targetPort: {{ $portName }}
      protocol: {{ $target.protocol | default "TCP" }}
      {{- with $target.appProtocol }}
      appProtocol: {{ . | toJson }}
      {{- end }}
      {{- if and $outside $port.nodePort }}
      nodePort: {{ int $port.nodePort }}
      {{- end }}
    {{- end }}
  selector:
    {{- include "castle-common.serviceSelectorLabels" $root | nindent 4 }}
{{- end }}
{{- end }}
{{- end }}
