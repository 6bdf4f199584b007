{{/*
The pod template of a workload, a canary track or a hook Job. Arguments: dict of
  root        the chart's context
  track       stable, canary or hook (the castle.dev/track label)
  hook        the hook's values and name (track hook)
  image       the image values of the main container (default: .Values.image)
  envOverrides  env laid over the chart's (a canary's env)
  configName  the ConfigMap the pods read (default: <fullname>)
  configData  the config data the pods read, for the checksum (default: the chart's)
  claimTemplates  true when the workload is a StatefulSet (persistent volumes come from its volumeClaimTemplates)
  initContainers  further init containers the chart adds after the sidecars (an engine's exporter)
  args, env, volumeMounts, volumes  what an embedded component's engine adds (args replace .Values.args;
              the others come before the chart's own)
  labels      further pod labels (a version's version label)
*/}}
{{- define "castle-common.podTemplate" -}}
{{- $root := .root }}
{{- $v := $root.Values }}
{{- $track := .track | default "stable" }}
{{- $hook := .hook }}
{{- $image := .image | default $v.image }}
{{- $configName := .configName | default (include "castle-common.fullname" $root) }}
{{- $strategy := include "castle-common.canaryStrategy" $root -}}
{{- $labels := merge (include "castle-common.labels" $root | fromYaml) (dict "castle.dev/track" $track) (.labels | default dict) }}
{{- if $hook }}{{ $_ := set $labels "castle.dev/hook" $hook.name }}
{{- else if eq $strategy "flagger" }}{{ $_ := set $labels "app" (include "castle-common.fullname" $root) }}
{{- end }}
{{- $annotations := dict "kubectl.kubernetes.io/default-container" $root.Chart.Name }}
{{- if include "castle-common.hasConfig" $root }}
{{- $_ := set $annotations "checksum/config" (.configData | default (include "castle-common.configData" $root) | sha256sum) }}
{{- end }}
{{- $annotations = merge $annotations (include "castle-common.sharedConfigAnnotations" $root | fromYaml) }}
{{- with ($v.logging | default dict).parser }}{{ $_ := set $annotations "fluentbit.io/parser" . }}{{ end }}
{{- $metrics := $v.metrics | default dict }}
{{- if and $metrics.enabled $metrics.annotations }}
{{- $_ := set $annotations "prometheus.io/scrape" "true" }}
{{- $_ := set $annotations "prometheus.io/port" ((get $v.ports $metrics.port | default dict).containerPort | toString) }}
{{- $_ := set $annotations "prometheus.io/path" $metrics.path }}
{{- end -}}
metadata:
  labels:
    {{- /* extra pod labels never replace castle's: the selectors rely on them */}}
    {{- toYaml (merge $labels ($v.podLabels | default dict)) | nindent 4 }}
  annotations:
    {{- toYaml (merge ($v.podAnnotations | default dict | deepCopy) $annotations) | nindent 4 }}
spec:
  {{- if $hook }}
  serviceAccountName: default
  {{- else }}
  serviceAccountName: {{ include "castle-common.serviceAccountName" $root }}
  {{- end }}
  automountServiceAccountToken: {{ $v.serviceAccount.automountServiceAccountToken }}
  enableServiceLinks: {{ $v.enableServiceLinks | default false }}
  {{- $pullSecrets := concat (($v.global).imagePullSecrets | default list) ($v.imagePullSecrets | default list) | uniq }}
  {{- with $pullSecrets }}
  imagePullSecrets:
    {{- range . }}
    - name: {{ . | toJson }}
    {{- end }}
  {{- end }}
  securityContext:
    {{- toYaml $v.podSecurityContext | nindent 4 }}
  terminationGracePeriodSeconds: {{ $v.terminationGracePeriodSeconds }}
  {{- if $hook }}
  restartPolicy: Never
  {{- else if $v.job }}
  restartPolicy: {{ $v.job.restartPolicy }}
  {{- end }}
  {{- with $v.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $v.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $v.priorityClassName }}
  priorityClassName: {{ . | toJson }}
  {{- end }}
  {{- with include "castle-common.affinity" $root }}
  affinity:
    {{- . | nindent 4 }}
  {{- end }}
  {{- with $v.topologySpreadConstraints }}
  topologySpreadConstraints:
    {{- range . }}
    - {{ toYaml (merge (dict "labelSelector" (dict "matchLabels" (include "castle-common.selectorLabels" $root | fromYaml))) (omit . "labelSelector")) | nindent 6 | trim }}
    {{- end }}
  {{- end }}
  {{- $waits := include "castle-common.dependencyWaits" $root | fromYamlArray }}
  {{- $companions := concat (include "castle-common.companions" (dict "root" $root "key" "sidecars") | fromYamlArray) (include "castle-common.companions" (dict "root" $root "key" "initContainers") | fromYamlArray) }}
  {{- $init := concat $waits $companions (.initContainers | default list) ($v.extraInitContainers | default list) }}
  {{- with $init }}
  initContainers:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  containers:
    - name: {{ $root.Chart.Name }}
      image: {{ include "castle-common.imageRef" (list $image $v.global) | toJson }}
      imagePullPolicy: {{ $image.pullPolicy | default $v.image.pullPolicy }}
      {{- $command := $v.command }}
      {{- $args := .args | default $v.args }}
      {{- if $hook }}
      {{- if $hook.command }}{{ $command = $hook.command }}{{ end }}
      {{- if $hook.args }}{{ $args = $hook.args }}{{ end }}
      {{- end }}
      {{- with $command }}
      command:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $args }}
      args:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with include "castle-common.containerPorts" (dict "root" $root "container" "") }}
      ports:
        {{- . | nindent 8 }}
      {{- end }}
      {{- $computed := dict }}
      {{- $_ := include "castle-common.env" (dict "root" $root "overrides" .envOverrides "configName" $configName "into" $computed) }}
      {{- $env := concat (.env | default list) $computed.env ($v.extraEnv | default list) }}
      {{- with $env }}
      env:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- $envFrom := list }}
      {{- if and (include "castle-common.hasConfig" $root) $v.config.envFrom }}
      {{- $envFrom = append $envFrom (dict "configMapRef" (dict "name" $configName)) }}
      {{- end }}
      {{- range $name, $secret := $v.secrets }}
      {{- if $secret.envFrom }}
      {{- $ref := dict "name" $name }}
      {{- if $secret.optional }}{{ $_ := set $ref "optional" true }}{{ end }}
      {{- $envFrom = append $envFrom (dict "secretRef" $ref) }}
      {{- end }}
      {{- end }}
      {{- $envFrom = concat $envFrom (include "castle-common.sharedConfigEnvFrom" $root | fromYamlArray) ($v.extraEnvFrom | default list) }}
      {{- with $envFrom }}
      envFrom:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      resources:
        {{- toYaml $v.resources | nindent 8 }}
      {{- if not (or $hook $v.job) }}
      {{- range $probe := list "startupProbe" "livenessProbe" "readinessProbe" }}
      {{- $spec := get $v $probe | default dict }}
      {{- if $spec.enabled }}
      {{ $probe }}:
        {{- toYaml (omit $spec "enabled") | nindent 8 }}
      {{- end }}
      {{- end }}
      {{- with $v.lifecycle | default dict }}
      lifecycle:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- end }}
      securityContext:
        {{- toYaml $v.containerSecurityContext | nindent 8 }}
      {{- $mounts := concat (.volumeMounts | default list) (include "castle-common.volumeMounts" $root | fromYamlArray) }}
      {{- with $mounts }}
      volumeMounts:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    {{- with $v.extraContainers }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- $volumes := concat (.volumes | default list) (include "castle-common.volumes" (dict "root" $root "configName" $configName "claimTemplates" .claimTemplates "waits" (not (and (empty $waits) (empty $companions)))) | fromYamlArray) }}
  {{- with $volumes }}
  volumes:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}

{{/* Affinity: .Values.affinity when set, else the anti-affinity preset, colocateWith and separateFrom. */}}
{{- define "castle-common.affinity" -}}
{{- $v := .Values }}
{{- if $v.affinity }}
{{- toYaml $v.affinity }}
{{- else }}
{{- $preset := $v.podAntiAffinityPreset | default "none" }}
{{- $affinity := dict }}
{{- $preferred := list }}
{{- range $v.colocateWith }}
{{- $preferred = append $preferred (dict "weight" 50 "podAffinityTerm" (dict "topologyKey" "kubernetes.io/hostname" "labelSelector" (dict "matchLabels" (dict "app.kubernetes.io/name" . "app.kubernetes.io/instance" $.Release.Name)))) }}
{{- end }}
{{- with $preferred }}{{ $_ := set $affinity "podAffinity" (dict "preferredDuringSchedulingIgnoredDuringExecution" .) }}{{ end }}
{{- $self := dict "matchLabels" (include "castle-common.selectorLabels" . | fromYaml) }}
{{- $anti := dict }}
{{- if eq $preset "soft" }}
{{- $_ := set $anti "preferredDuringSchedulingIgnoredDuringExecution" (list (dict "weight" 100 "podAffinityTerm" (dict "topologyKey" "kubernetes.io/hostname" "labelSelector" $self))) }}
{{- end }}
{{- $required := list }}
{{- if eq $preset "hard" }}
{{- $required = append $required (dict "topologyKey" "kubernetes.io/hostname" "labelSelector" $self) }}
{{- end }}
{{- range $v.separateFrom }}
{{- $required = append $required (dict "topologyKey" "kubernetes.io/hostname" "labelSelector" (dict "matchLabels" (dict "app.kubernetes.io/name" . "app.kubernetes.io/instance" $.Release.Name))) }}
{{- end }}
{{- with $required }}{{ $_ := set $anti "requiredDuringSchedulingIgnoredDuringExecution" . }}{{ end }}
{{- with $anti }}{{ $_ := set $affinity "podAntiAffinity" . }}{{ end }}
{{- with $affinity }}{{ toYaml . }}{{ end }}
{{- end }}
{{- end }}

{{/* Init containers that wait until each enabled start-up dependency accepts connections. */}}
{{- define "castle-common.dependencyWaits" -}}
{{- $root := . }}
{{- $wait := .Values.dependencyWait }}
{{- $out := list }}
{{- range $name, $dep := .Values.dependencies }}
{{- if and $dep.enabled $dep.startup }}
{{- $script := printf "deadline=$(( $(date +%%s) + TIMEOUT_SECONDS ))\nuntil nc -z -w %d \"$HOST\" \"$PORT\"; do\n  if [ \"$(date +%%s)\" -ge \"$deadline\" ]; then\n    echo \"gave up waiting for $HOST:$PORT after $TIMEOUT_SECONDS s\" >&2\n    exit 1\n  fi\n  echo \"waiting for $HOST:$PORT\"\n  sleep %d\ndone\n" (int $wait.connectTimeoutSeconds) (int $wait.periodSeconds) }}
{{- $hostVar := dict "name" "HOST" "value" (replace "{release}" $root.Release.Name (toString ($dep.host | default ""))) }}
{{- with ($dep.credentials | default dict).hostKey }}{{ $hostVar = dict "name" "HOST" "valueFrom" (dict "secretKeyRef" (dict "name" (replace "{release}" $root.Release.Name (toString $dep.credentials.secret)) "key" .)) }}{{ end }}
{{- $env := list $hostVar (dict "name" "PORT" "value" (toString (int $dep.port))) (dict "name" "TIMEOUT_SECONDS" "value" (toString (int $dep.timeoutSeconds))) }}
{{- $out = append $out (dict "name" (printf "wait-for-%s" $name | trunc 63 | trimSuffix "-") "image" (include "castle-common.imageRef" (list $wait.image $root.Values.global)) "imagePullPolicy" ($wait.image.pullPolicy | default "IfNotPresent") "command" (list "sh" "-c" $script) "env" $env "resources" $wait.resources "securityContext" $wait.securityContext "volumeMounts" (list (dict "name" "tmp" "mountPath" "/tmp"))) }}
{{- end }}
{{- end }}
{{- toYaml $out }}
{{- end }}

{{/* The ports of one container of the pod, from .Values.ports: the main one's (container "") or a sidecar's. Arguments: dict of root and container. */}}
{{- define "castle-common.containerPorts" -}}
{{- $out := list }}
{{- range $name, $port := .root.Values.ports }}
{{- if eq ($port.container | default "") $.container }}
{{- $out = append $out (dict "name" $name "containerPort" (int $port.containerPort) "protocol" ($port.protocol | default "TCP")) }}
{{- end }}
{{- end }}
{{- with $out }}{{ toYaml . }}{{ end }}
{{- end }}

{{/*
The chart's sidecars (key sidecars: native sidecars, init containers that restart Always) or init
containers (key initContainers), in their order, each hardened like the main container: its
security context, resources, the /tmp emptyDir, the service's volumes it names, and (sidecars) its
ports and probes. Arguments: dict of root and key.
*/}}
{{- define "castle-common.companions" -}}
{{- $root := .root }}
{{- $v := $root.Values }}
{{- $all := get $v .key | default dict }}
{{- $byOrder := dict }}
{{- range $name, $c := $all }}{{ $_ := set $byOrder (printf "%06d-%s" (int ($c.order | default 0)) $name) $name }}{{ end }}
{{- $out := list }}
{{- range $key := keys $byOrder | sortAlpha }}
{{- $name := get $byOrder $key }}
{{- $c := get $all $name }}
{{- $container := dict "name" $name "image" (include "castle-common.imageRef" (list $c.image $v.global)) "imagePullPolicy" ($c.image.pullPolicy | default "IfNotPresent") }}
{{- if eq $.key "sidecars" }}{{ $_ := set $container "restartPolicy" "Always" }}{{ end }}
{{- with $c.command }}{{ $_ := set $container "command" . }}{{ end }}
{{- with $c.args }}{{ $_ := set $container "args" . }}{{ end }}
{{- $env := list }}
{{- range $envName := keys ($c.env | default dict) | sortAlpha }}
{{- $env = append $env (merge (dict "name" $envName) (omit (include "castle-common.envEntry" (dict "root" $root "entry" (get $c.env $envName)) | fromYaml) "dependsOn")) }}
{{- end }}
{{- with $env }}{{ $_ := set $container "env" . }}{{ end }}
{{- with include "castle-common.containerPorts" (dict "root" $root "container" $name) }}{{ $_ := set $container "ports" (fromYamlArray .) }}{{ end }}
{{- $_ := set $container "resources" $c.resources }}
{{- if eq $.key "sidecars" }}
{{- range $probe := list "startupProbe" "livenessProbe" "readinessProbe" }}
{{- $spec := get $c $probe | default dict }}
{{- if $spec.enabled }}{{ $_ := set $container $probe (omit $spec "enabled") }}{{ end }}
{{- end }}
{{- end }}
{{- $_ := set $container "securityContext" $c.securityContext }}
{{- $mounts := list }}
{{- $tmp := false }}
{{- range $volume := keys ($c.volumeMounts | default dict) | sortAlpha }}
{{- $m := get $c.volumeMounts $volume }}
{{- $mount := dict "name" $volume "mountPath" $m.mountPath }}
{{- if $m.readOnly }}{{ $_ := set $mount "readOnly" true }}{{ end }}
{{- if $m.subPath }}{{ $_ := set $mount "subPath" $m.subPath }}{{ end }}
{{- if eq $m.mountPath "/tmp" }}{{ $tmp = true }}{{ end }}
{{- $mounts = append $mounts $mount }}
{{- end }}
{{- if not $tmp }}{{ $mounts = append $mounts (dict "name" "tmp" "mountPath" "/tmp") }}{{ end }}
{{- $_ := set $container "volumeMounts" $mounts }}
{{- $out = append $out $container }}
{{- end }}
{{- toYaml $out }}
{{- end }}

{{/* Whether the chart has a ConfigMap: any config data or file. */}}
{{- define "castle-common.hasConfig" -}}
{{- $config := .Values.config | default dict }}
{{- if or $config.data $config.files }}true{{ end }}
{{- end }}

{{/*
Whether the pods mount the chart's own ConfigMap (as a folder at config.mountPath, or keys at
config.mounts): a service's chart with config. Not an embedded component's chart: there config
holds the server's own files, each mounted from the -server ConfigMap by the engine
(castle-common.engine.statefulset), and <fullname> is the engine's.
*/}}
{{- define "castle-common.serviceConfig" -}}
{{- if and (include "castle-common.hasConfig" .) (not .Values.engine) }}true{{ end }}
{{- end }}

{{/* The data of the chart's ConfigMap: config.data (as strings) and config.files. Argument: dict of root and optional overrides of data. */}}
{{- define "castle-common.configData" -}}
{{- $config := .Values.config | default dict }}
{{- $data := dict }}
{{- range $key, $value := $config.data }}{{ $_ := set $data $key (toString $value) }}{{ end }}
{{- range $key, $value := $config.files }}{{ $_ := set $data $key $value }}{{ end }}
{{- with $data }}{{ toYaml . }}{{ end }}
{{- end }}

{{/* Volume mounts of the main container: volumes, the config folder and keys, secrets mounted as files (a folder, or key by key), extraVolumeMounts. */}}
{{- define "castle-common.volumeMounts" -}}
{{- $v := .Values }}
{{- $mounts := list }}
{{- range $name, $volume := $v.volumes }}
{{- $mount := dict "name" $name "mountPath" $volume.mountPath }}
{{- if $volume.readOnly }}{{ $_ := set $mount "readOnly" true }}{{ end }}
{{- if $volume.subPath }}{{ $_ := set $mount "subPath" $volume.subPath }}{{ end }}
{{- $mounts = append $mounts $mount }}
{{- end }}
{{- if include "castle-common.serviceConfig" . }}
{{- if $v.config.mountPath }}
{{- $mounts = append $mounts (dict "name" "config" "mountPath" $v.config.mountPath "readOnly" true) }}
{{- end }}
{{- range $key, $path := $v.config.mounts }}
{{- $mounts = append $mounts (dict "name" "config" "mountPath" $path "subPath" $key "readOnly" true) }}
{{- end }}
{{- end }}
{{- range $index, $name := keys ($v.secrets | default dict) | sortAlpha }}
{{- $secret := get $v.secrets $name }}
{{- if $secret.mountPath }}
{{- $mounts = append $mounts (dict "name" (printf "secret-%d" $index) "mountPath" $secret.mountPath "readOnly" true) }}
{{- end }}
{{- range $key, $path := $secret.mounts }}
{{- $mounts = append $mounts (dict "name" (printf "secret-%d" $index) "mountPath" $path "subPath" $key "readOnly" true) }}
{{- end }}
{{- end }}
{{- toYaml (concat $mounts (include "castle-common.sharedConfigMounts" . | fromYamlArray) ($v.extraVolumeMounts | default list)) }}
{{- end }}

{{/* Volumes of the pod. Arguments: dict of root, configName, claimTemplates and waits (whether init containers wait for dependencies: they need /tmp). */}}
{{- define "castle-common.volumes" -}}
{{- $root := .root }}
{{- $v := $root.Values }}
{{- $volumes := list }}
{{- range $name, $volume := $v.volumes }}
{{- if $volume.existingClaim }}
{{- $volumes = append $volumes (dict "name" $name "persistentVolumeClaim" (dict "claimName" $volume.existingClaim)) }}
{{- else if $volume.persistence }}
{{- if not $.claimTemplates }}
{{- $volumes = append $volumes (dict "name" $name "persistentVolumeClaim" (dict "claimName" (include "castle-common.suffixedName" (list $root $name)))) }}
{{- end }}
{{- else }}
{{- $volumes = append $volumes (dict "name" $name "emptyDir" ($volume.emptyDir | default dict)) }}
{{- end }}
{{- end }}
{{- if .waits }}
{{- if not (hasKey ($v.volumes | default dict) "tmp") }}
{{- $volumes = append $volumes (dict "name" "tmp" "emptyDir" (dict "sizeLimit" "16Mi")) }}
{{- end }}
{{- end }}
{{- if and (include "castle-common.serviceConfig" $root) (or $v.config.mountPath $v.config.mounts) }}
{{- $volumes = append $volumes (dict "name" "config" "configMap" (dict "name" .configName)) }}
{{- end }}
{{- range $index, $name := keys ($v.secrets | default dict) | sortAlpha }}
{{- $secret := get $v.secrets $name }}
{{- if or $secret.mountPath $secret.mounts }}
{{- $source := dict "secretName" $name }}
{{- if $secret.optional }}{{ $_ := set $source "optional" true }}{{ end }}
{{- $volumes = append $volumes (dict "name" (printf "secret-%d" $index) "secret" $source) }}
{{- end }}
{{- end }}
{{- toYaml (concat $volumes (include "castle-common.sharedConfigVolumes" $root | fromYamlArray) ($v.extraVolumes | default list)) }}
{{- end }}
