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
