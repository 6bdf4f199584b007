{{/*
Secrets from secret managers (parent chart, .Values.secrets and .Values.secretStore): castle never
writes a secret value. An ExternalSecret has the External Secrets Operator fill the Secret from a
store's remote keys; a SealedSecret, sealed by the user for one namespace, has the Sealed Secrets
controller unseal it. They come in Argo CD's sync wave -1 (the store in -2), before the workloads
that read them. Every default the operator would write back into the ExternalSecret is written
here, so that Argo CD sees no difference.
*/}}

{{/* metadata of an object named as given, with the parent chart's labels and an Argo CD sync wave. Arguments: (list . name wave extraAnnotations). */}}
{{- define "castle-common.secretMetadata" -}}
{{- $root := index . 0 -}}
name: {{ index . 1 }}
labels:
  {{- include "castle-common.systemLabels" $root | nindent 2 }}
annotations:
  {{- toYaml (merge (dict "argocd.argoproj.io/sync-wave" (index . 2)) (index . 3) ($root.Values.commonAnnotations | default dict)) | nindent 2 }}
{{- end }}

{{/* A remote reference with the operator's defaults spelled out. */}}
{{- define "castle-common.remoteRef" -}}
key: {{ .key | toJson }}
{{- with .property }}
property: {{ . | toJson }}
{{- end }}
{{- with .version }}
version: {{ . | toJson }}
{{- end }}
conversionStrategy: Default
decodingStrategy: None
metadataPolicy: None
nullBytePolicy: Ignore
{{- end }}

{{/* The ExternalSecret of one Secret. Arguments: (list . name secret). */}}
{{- define "castle-common.externalSecret" -}}
{{- $root := index . 0 }}
{{- $name := index . 1 }}
{{- $secret := index . 2 }}
{{- $e := $secret.externalSecret }}
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  {{- include "castle-common.secretMetadata" (list $root $name "-1" dict) | nindent 2 }}
spec:
  refreshPolicy: Periodic
  refreshInterval: {{ $e.refreshInterval | toJson }}
  secretStoreRef:
    name: {{ $e.store.name }}
    kind: {{ $e.store.kind }}
  target:
    name: {{ $name }}
    creationPolicy: Owner
    deletionPolicy: Retain
    {{- if ne $secret.type "Opaque" }}
    template:
      engineVersion: v2
      mergePolicy: Replace
      type: {{ $secret.type | toJson }}
    {{- end }}
  {{- with $e.data }}
  data:
    {{- range $key, $ref := . }}
    - secretKey: {{ $key | toJson }}
      remoteRef:
        {{- include "castle-common.remoteRef" $ref | nindent 8 }}
    {{- end }}
  {{- end }}
  {{- with $e.dataFrom }}
  dataFrom:
    {{- range . }}
    - extract:
        {{- include "castle-common.remoteRef" . | nindent 8 }}
    {{- end }}
  {{- end }}
{{- end }}

{{/*
The SealedSecret of one Secret, as the user sealed it for the release namespace (or for any, when
sealed cluster-wide); the chart refuses a namespace it has no sealed data for, as the controller
would refuse to unseal it there. Arguments: (list . name secret).
*/}}
{{- define "castle-common.sealedSecret" -}}
{{- $root := index . 0 }}
{{- $name := index . 1 }}
{{- $byNamespace := (index . 2).sealedSecret.namespaces }}
{{- $sealed := get $byNamespace $root.Release.Namespace | default (get $byNamespace "*") }}
{{- if not $sealed }}
{{- /* helm lint logs a fail and goes on: the else keeps it from rendering half an object */}}
{{- fail (printf "the SealedSecret %s is sealed for the namespaces %s, not for %s: seal it for %s (kubeseal --namespace %s) and name its file under environments.<env>.secrets.%s.sealedSecret.file" $name (keys $byNamespace | sortAlpha | join ", ") $root.Release.Namespace $root.Release.Namespace $root.Release.Namespace $name) }}
{{- else }}
{{- $scope := dict }}
{{- if eq $sealed.scope "namespace-wide" }}
{{- $scope = dict "sealedsecrets.bitnami.com/namespace-wide" "true" }}
{{- else if eq $sealed.scope "cluster-wide" }}
{{- $scope = dict "sealedsecrets.bitnami.com/cluster-wide" "true" }}
{{- end }}
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  {{- include "castle-common.secretMetadata" (list $root $name "-1" $scope) | nindent 2 }}
spec:
  encryptedData:
    {{- toYaml $sealed.encryptedData | nindent 4 }}
  {{- with $sealed.template }}
  template:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
{{- end }}

{{/* Every Secret the chart creates: an ExternalSecret or a SealedSecret each (none for from: existing). */}}
{{- define "castle-common.managedSecrets" -}}
{{- range $name, $secret := .Values.secrets }}
{{- if eq $secret.from "externalSecret" }}
---
{{ include "castle-common.externalSecret" (list $ $name $secret) }}
{{- else if eq $secret.from "sealedSecret" }}
---
{{ include "castle-common.sealedSecret" (list $ $name $secret) }}
{{- end }}
{{- end }}
{{- end }}

{{/* The store the ExternalSecrets read from, when castle writes it: a SecretStore in the release namespace, or a ClusterSecretStore. */}}
{{- define "castle-common.secretStore" -}}
{{- $store := .Values.secretStore }}
{{- if $store.create }}
{{- $provider := get $store.providers $store.provider }}
{{- if not $provider }}
{{- fail (printf "secretStore.provider %s names none of secretStore.providers (%s)" $store.provider (keys $store.providers | sortAlpha | join ", ")) }}
{{- else }}
---
apiVersion: external-secrets.io/v1
kind: {{ $store.kind }}
metadata:
  {{- include "castle-common.secretMetadata" (list . $store.name "-2" dict) | nindent 2 }}
spec:
  provider:
    {{- toYaml (dict $store.provider $provider) | nindent 4 }}
{{- end }}
{{- end }}
{{- end }}
