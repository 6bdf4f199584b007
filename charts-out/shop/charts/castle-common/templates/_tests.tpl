{{/*
The helm test hook, when tests.enabled: one container per check (tests.checks: port name ->
{path}), an HTTP GET of path, or a TCP connect without one, to the service's Service.
*/}}
{{- define "castle-common.test" -}}
{{- $t := .Values.tests }}
{{- $ports := include "castle-common.exposedPorts" . | fromYaml }}
{{- $checks := list }}
{{- range $name, $check := $t.checks }}
{{- if and $check.enabled (hasKey $ports $name) }}{{ $checks = append $checks (merge (dict "port" $name) $check) }}{{ end }}
{{- end }}
{{- if and $t.enabled $checks .Values.service.enabled }}
{{- $host := include "castle-common.serviceName" . }}
{{- $image := include "castle-common.imageRef" (list $t.image .Values.global) }}
---
apiVersion: v1
kind: Pod
metadata:
  {{- include "castle-common.metadata" (dict "root" . "name" (include "castle-common.suffixedName" (list . "test")) "labels" (dict "castle.dev/role" "test") "annotations" (dict "helm.sh/hook" "test" "helm.sh/hook-delete-policy" "before-hook-creation,hook-succeeded")) | nindent 2 }}
spec:
  restartPolicy: Never
  automountServiceAccountToken: false
  securityContext:
    runAsNonRoot: true
    runAsUser: 65534
    runAsGroup: 65534
    seccompProfile:
      type: RuntimeDefault
  containers:
    {{- range $check := $checks }}
    {{- $port := include "castle-common.servicePort" (list $ $check.port) }}
    - name: {{ printf "check-%s" $check.port | trunc 63 | trimSuffix "-" }}
      image: {{ $image | toJson }}
      imagePullPolicy: {{ $t.image.pullPolicy | default "IfNotPresent" }}
      {{- if $check.path }}
      command: ["wget", "-q", "-O", "/dev/null", "-T", {{ $t.timeoutSeconds | toString | quote }}, {{ printf "http://%s:%s%s" $host $port $check.path | toJson }}]
      {{- else }}
      command: ["nc", "-z", "-w", {{ $t.timeoutSeconds | toString | quote }}, {{ $host | toJson }}, {{ $port | quote }}]
      {{- end }}
      resources:
        requests:
          cpu: 10m
          memory: 16Mi
        limits:
          cpu: 100m
          memory: 32Mi
      securityContext:
        allowPrivilegeEscalation: false
        capabilities:
          drop: ["ALL"]
        privileged: false
        readOnlyRootFilesystem: true
        runAsNonRoot: true
      volumeMounts:
        - name: tmp
          mountPath: /tmp
    {{- end }}
  volumes:
    - name: tmp
      emptyDir:
        sizeLimit: 16Mi
{{- end }}
{{- end }}
