{{/*
Egress to host names (externalEgress): a NetworkPolicy matches addresses only, so names are
allowed by the mesh or the policy provider that can: an Istio ServiceEntry per destination
(externalEgress.serviceEntries) and a CiliumNetworkPolicy per service whose toFQDNs Cilium's DNS
proxy resolves (externalEgress.fqdnPolicies), for each service that is enabled.
*/}}
{{- define "castle-common.externalEgress" -}}
{{- $e := .Values.externalEgress }}
{{- $first := true }}
{{- range $service, $destinations := $e.destinations }}
{{- if (index $.Values $service | default dict).enabled }}
{{- if $e.serviceEntries }}
{{- range $name, $d := $destinations }}
{{- if not $first }}
---
{{- end }}
{{- $first = false }}
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  {{- include "castle-common.systemMetadata" (list $ (printf "%s-%s" $service $name)) | nindent 2 }}
spec:
  hosts:
    {{- toYaml $d.hosts | nindent 4 }}
  exportTo:
    - "."
  location: MESH_EXTERNAL
  resolution: {{ $d.resolution }}
  ports:
    {{- range $d.ports }}
    - number: {{ .port }}
      name: {{ printf "%s-%d" (lower .appProtocol) (int .port) }}
      protocol: {{ .appProtocol }}
    {{- end }}
{{- end }}
{{- end }}
{{- if and $e.fqdnPolicies $.Values.networkPolicies.enabled }}
{{- if not $first }}
---
{{- end }}
{{- $first = false }}
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  {{- include "castle-common.systemMetadata" (list $ (printf "%s-egress" $service)) | nindent 2 }}
spec:
  endpointSelector:
    matchLabels:
      app.kubernetes.io/name: {{ $service }}
      app.kubernetes.io/instance: {{ $.Release.Name }}
  egress:
    - toEndpoints:
        - matchLabels:
            k8s:io.kubernetes.pod.namespace: {{ $.Values.networkPolicies.dnsNamespace }}
            k8s-app: kube-dns
      toPorts:
        - ports:
            - port: "53"
              protocol: ANY
          rules:
            dns:
              - matchPattern: "*"
    {{- range $name, $d := $destinations }}
    - toFQDNs:
        {{- range $d.hosts }}
        {{- if hasPrefix "*." . }}
        - matchPattern: {{ . | toJson }}
        {{- else }}
        - matchName: {{ . | toJson }}
        {{- end }}
        {{- end }}
      toPorts:
        - ports:
            {{- range $d.ports }}
            - port: {{ int .port | toString | quote }}
              protocol: {{ .protocol }}
            {{- end }}
    {{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
