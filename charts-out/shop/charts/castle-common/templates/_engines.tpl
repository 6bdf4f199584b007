{{/*
Embedded infrastructure components: one server pod of an official image (.Values.engine:
postgresql, mysql, mongodb, redis, rabbitmq, kafka, memcached or jaeger), running the image's own entrypoint as the
image's own user, with a read-only root filesystem: the image writes only to its data volume
(persistence.mountPath) and to the emptyDirs of .Values.volumes. What each image needs is below,
one named template per engine and concern.
*/}}

{{/* The Secret of the component's credentials: auth.existingSecret, else the generated <fullname>. */}}
{{- define "castle-common.engine.secretName" -}}
{{- ((.Values.auth | default dict).existingSecret | default (include "castle-common.fullname" .)) }}
{{- end }}

{{/* How clients authenticate: generated, existingSecret or none (auth.mode; none without auth values). */}}
{{- define "castle-common.engine.authMode" -}}
{{- (.Values.auth | default dict).mode | default "none" }}
{{- end }}

{{/* A variable read from the credentials Secret. Arguments: (list . name key), key password or root-password (auth.passwordKey, auth.rootPasswordKey). */}}
{{- define "castle-common.engine.secretEnv" -}}
{{- $auth := (index . 0).Values.auth }}
{{- $key := ternary ($auth.rootPasswordKey | default "root-password") ($auth.passwordKey | default "password") (eq (index . 2) "root-password") }}
- name: {{ index . 1 }}
  valueFrom:
    secretKeyRef:
      name: {{ include "castle-common.engine.secretName" (index . 0) | toJson }}
      key: {{ $key | toJson }}
{{- end }}

{{/* The engine's environment, in Kubernetes form. */}}
{{- define "castle-common.engine.env" -}}
{{- $v := .Values }}
{{- $data := $v.persistence.mountPath }}
{{- $open := eq (include "castle-common.engine.authMode" .) "none" }}
{{- if eq $v.engine "postgresql" }}
- name: POSTGRES_USER
  value: {{ $v.auth.username | toJson }}
{{- if $open }}
{{- /* no authentication: every client is trusted (the network policies admit only the declared callers) */}}
- name: POSTGRES_HOST_AUTH_METHOD
  value: trust
{{- else }}
{{ include "castle-common.engine.secretEnv" (list . "POSTGRES_PASSWORD" "password") }}
{{- end }}
- name: POSTGRES_DB
  value: {{ $v.auth.database | toJson }}
{{- /* initdb needs an empty folder: a subdirectory of the volume (which may hold lost+found) */}}
- name: PGDATA
  value: {{ printf "%s/pgdata" $data | toJson }}
{{- else if eq $v.engine "mysql" }}
{{- if $open }}
{{- /* no authentication: root without a password, from the declared callers (the network policies admit no one else) */}}
- name: MYSQL_ALLOW_EMPTY_PASSWORD
  value: "yes"
- name: MYSQL_ROOT_HOST
  value: "%"
{{- else }}
- name: MYSQL_USER
  value: {{ $v.auth.username | toJson }}
{{ include "castle-common.engine.secretEnv" (list . "MYSQL_PASSWORD" "password") }}
{{- if and $v.auth.existingSecret $v.auth.rootPasswordKey }}
{{- /* root's password from the existing Secret, for applications that log in as root: from any host the network policies admit */}}
{{ include "castle-common.engine.secretEnv" (list . "MYSQL_ROOT_PASSWORD" "root-password") }}
- name: MYSQL_ROOT_HOST
  value: "%"
{{- else }}
{{- /* no root password anywhere: a random one, printed once in the log of the first start; root only from inside the pod */}}
- name: MYSQL_RANDOM_ROOT_PASSWORD
  value: "yes"
- name: MYSQL_ROOT_HOST
  value: localhost
{{- end }}
{{- end }}
- name: MYSQL_DATABASE
  value: {{ $v.auth.database | toJson }}
{{- else if eq $v.engine "mongodb" }}
{{- if not $open }}
{{- /* the image enables authentication only with an administrator in the admin database */}}
- name: MONGO_INITDB_ROOT_USERNAME
  value: {{ $v.auth.rootUsername | toJson }}
{{ include "castle-common.engine.secretEnv" (list . "MONGO_INITDB_ROOT_PASSWORD" "root-password") }}
- name: MONGO_INITDB_DATABASE
  value: {{ $v.auth.database | toJson }}
{{- /* read by castle's init script, which creates the user in its database (dbOwner only) */}}
- name: MONGO_INITDB_APP_USERNAME
  value: {{ $v.auth.username | toJson }}
{{ include "castle-common.engine.secretEnv" (list . "MONGO_INITDB_APP_PASSWORD" "password") }}
{{- end }}
{{- /* the shell (init script, probes) keeps its state in HOME: on the /tmp emptyDir */}}
- name: HOME
  value: /tmp
{{- else if eq $v.engine "redis" }}
{{- if not $open }}
- name: REDIS_USERNAME
  value: {{ $v.auth.username | toJson }}
{{ include "castle-common.engine.secretEnv" (list . "REDIS_PASSWORD" "password") }}
{{- /* redis-cli (probes, kubectl exec) reads the password from here, never from its command line */}}
{{ include "castle-common.engine.secretEnv" (list . "REDISCLI_AUTH" "password") }}
{{- end }}
{{- else if eq $v.engine "rabbitmq" }}
{{- if not $open }}
- name: RABBITMQ_DEFAULT_USER
  value: {{ $v.auth.username | toJson }}
{{ include "castle-common.engine.secretEnv" (list . "RABBITMQ_DEFAULT_PASS" "password") }}
{{- end }}
{{- /* before 3.10 (no auth.virtualHost) no RABBITMQ_DEFAULT_*: the entrypoint would write them into castle's read-only file */}}
{{- with $v.auth.virtualHost }}
- name: RABBITMQ_DEFAULT_VHOST
  value: {{ . | toJson }}
{{- end }}
{{- else if eq $v.engine "kafka" }}
{{- $port := (get $v.ports "kafka").containerPort }}
{{- /*
KRaft, one node that is broker and controller. Every KAFKA_* variable becomes a line of
server.properties; all are set, so none of the image's defaults applies. No credentials
(documented exception): PLAINTEXT, isolated by the network policies. Clients on the kafka port;
the controller and a loopback listener (probe, inter-broker) only on 127.0.0.1.
*/}}
- name: CLUSTER_ID
  value: {{ $v.kafka.clusterId | toJson }}
- name: KAFKA_NODE_ID
  value: "1"
- name: KAFKA_PROCESS_ROLES
  value: broker,controller
- name: KAFKA_LISTENERS
  value: {{ printf "PLAINTEXT://:%v,CONTROLLER://127.0.0.1:9093,LOOPBACK://127.0.0.1:9094" $port | toJson }}
- name: KAFKA_ADVERTISED_LISTENERS
  value: {{ printf "PLAINTEXT://%s:%v,LOOPBACK://127.0.0.1:9094" (include "castle-common.serviceName" .) $port | toJson }}
- name: KAFKA_LISTENER_SECURITY_PROTOCOL_MAP
  value: PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,LOOPBACK:PLAINTEXT
- name: KAFKA_CONTROLLER_LISTENER_NAMES
  value: CONTROLLER
- name: KAFKA_INTER_BROKER_LISTENER_NAME
  value: LOOPBACK
- name: KAFKA_CONTROLLER_QUORUM_VOTERS
  value: 1@127.0.0.1:9093
{{- /* a subdirectory of the volume: a lost+found folder is not a partition */}}
- name: KAFKA_LOG_DIRS
  value: {{ printf "%s/kraft-combined-logs" $data | toJson }}
- name: KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR
  value: "1"
- name: KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR
  value: "1"
- name: KAFKA_TRANSACTION_STATE_LOG_MIN_ISR
  value: "1"
- name: KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS
  value: "0"
- name: KAFKA_HEAP_OPTS
  value: {{ $v.kafka.heapOptions | toJson }}
{{- /* kafka-server-start.sh without -loggc: no GC log file on the filesystem */}}
- name: EXTRA_ARGS
  value: -name kafkaServer
{{- else if eq $v.engine "jaeger" }}
{{- /* all-in-one: OTLP on (the default from 1.46, asked for before); traces in memory, or in Badger on the volume claim */}}
- name: COLLECTOR_OTLP_ENABLED
  value: "true"
{{- if $v.persistence.enabled }}
- name: SPAN_STORAGE_TYPE
  value: badger
- name: BADGER_EPHEMERAL
  value: "false"
- name: BADGER_DIRECTORY_KEY
  value: {{ printf "%s/key" $data | toJson }}
- name: BADGER_DIRECTORY_VALUE
  value: {{ printf "%s/data" $data | toJson }}
{{- else }}
- name: SPAN_STORAGE_TYPE
  value: memory
- name: MEMORY_MAX_TRACES
  value: {{ $v.jaeger.maxTraces | int | toString | toJson }}
{{- end }}
{{- end }}
{{- end }}

{{/* The engine's arguments to the image's entrypoint (empty: the image's own). */}}
{{- define "castle-common.engine.args" -}}
{{- $v := .Values }}
{{- if eq $v.engine "memcached" }}
{{- /* the item memory in MiB, below the container's memory limit (memcached.memoryMiB) */}}
- -m
- {{ $v.memcached.memoryMiB | int | toString | toJson }}
{{- else if eq $v.engine "mysql" }}
{{- /* mysqld --initialize needs an empty folder: a subdirectory of the volume (which may hold lost+found) */}}
- {{ printf "--datadir=%s/data" $v.persistence.mountPath | toJson }}
{{- else if and (eq $v.engine "redis") (ne (include "castle-common.engine.authMode" .) "none") }}
{{- /* Kubernetes substitutes $(REDIS_PASSWORD) from the Secret when the container starts */}}
{{- if eq $v.auth.username "default" }}
- --requirepass
- $(REDIS_PASSWORD)
{{- else }}
{{- /* a named user: the default user is switched off, the named one gets every permission */}}
- --user
- default
- "off"
- --user
- $(REDIS_USERNAME)
- "on"
- ">$(REDIS_PASSWORD)"
- "~*"
- "&*"
- "+@all"
{{- end }}
{{- end }}
{{- end }}

{{/* Castle's own files for the image (no user data): mongodb's init script, rabbitmq's logging. */}}
{{- define "castle-common.engine.configData" -}}
{{- $open := eq (include "castle-common.engine.authMode" .) "none" }}
{{- if and (eq .Values.engine "mongodb") (not $open) }}
{{- /* run once by the image's entrypoint at the first initialization: the user gets dbOwner of its own database only */}}
10-castle-user.js: |
  db.createUser({
    user: process.env.MONGO_INITDB_APP_USERNAME,
    pwd: process.env.MONGO_INITDB_APP_PASSWORD,
    roles: [{ role: "dbOwner", db: db.getName() }]
  });
{{- else if eq .Values.engine "rabbitmq" }}
{{- $file := base .Values.rabbitmq.configFile }}
{{- /* before 3.10 RabbitMQ measures the node's memory, not the container's limit: a share of the limit, absolute */}}
{{- $wm := int64 (.Values.rabbitmq.memoryHighWatermarkBytes | default 0) }}
{{- if hasSuffix ".config" $file }}
{{- /*
RabbitMQ 3.6: the main configuration file, in Erlang terms (its images log to the console through
RABBITMQ_LOGS=-); being there, the entrypoint writes no file of its own. No authentication: RabbitMQ's
own guest user (password guest) from the declared callers, not only from localhost.
*/}}
{{ $file | toJson }}: |
  [ { rabbit, [ { loopback_users, [ ] }{{ if gt $wm 0 }}, { vm_memory_high_watermark, { absolute, {{ $wm }} } }{{ end }} ] } ].
{{- else }}
{{- /* conf.d from 3.10; the main rabbitmq.conf before it, which the entrypoint then leaves alone: logs to the console only (the root filesystem is read-only) */}}
{{ $file | toJson }}: |
  log.console = true
  log.file = false
  {{- if $open }}
  {{- /* no authentication: RabbitMQ's own guest user (password guest) from the declared callers, not only from localhost (the key the 3.7 to 3.9 entrypoints write) */}}
  {{- if eq $file "rabbitmq.conf" }}
  loopback_users.guest = false
  {{- else }}
  loopback_users = none
  {{- end }}
  {{- end }}
  {{- if gt $wm 0 }}
  vm_memory_high_watermark.absolute = {{ $wm }}
  {{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* The ConfigMap of castle's own files, for the engines that have some. */}}
{{- define "castle-common.engine.configmap" -}}
{{- with include "castle-common.engine.configData" . }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  {{- include "castle-common.metadata" (dict "root" $ "name" (include "castle-common.fullname" $)) | nindent 2 }}
data:
  {{- . | nindent 2 }}
{{- end }}
{{- end }}

{{/*
The server's own configuration files (values config.files: file name -> text, the user's data,
written with toYaml), in the ConfigMap <fullname>-server, each mounted read-only at
config.mountPath/<name>, where the image reads it.
*/}}
{{- define "castle-common.engine.serverConfigmap" -}}
{{- with (.Values.config | default dict).files }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  {{- include "castle-common.metadata" (dict "root" $ "name" (include "castle-common.suffixedName" (list $ "server"))) | nindent 2 }}
data:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* The arguments that start the server with its one configuration file (postgresql, mongodb, redis: first, as their entrypoints want). */}}
{{- define "castle-common.engine.configArgs" -}}
{{- $c := .Values.config | default dict }}
{{- range $name := keys ($c.files | default dict) | sortAlpha }}
{{- $path := printf "%s/%s" $c.mountPath $name }}
{{- if eq $.Values.engine "postgresql" }}
- -c
- {{ printf "config_file=%s" $path | toJson }}
{{- else if eq $.Values.engine "mongodb" }}
- --config
- {{ $path | toJson }}
{{- else if eq $.Values.engine "redis" }}
- {{ $path | toJson }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The engine's standard Prometheus exporter as a native sidecar (metrics.enabled; rabbitmq from 3.10 serves
its own metrics): it reads the server on localhost with the credentials of the Secret the server uses
(mongodb's administrator, who may read the server's status), hardened as the server's container.
*/}}
{{- define "castle-common.engine.exporter" -}}
{{- $v := .Values }}
{{- $m := $v.metrics | default dict }}
{{- if and $m.enabled $m.exporter }}
{{- $open := eq (include "castle-common.engine.authMode" .) "none" }}
{{- $port := int (get $v.ports "metrics").containerPort }}
- name: exporter
  image: {{ include "castle-common.imageRef" (list $m.exporter.image $v.global) | toJson }}
  imagePullPolicy: {{ $m.exporter.image.pullPolicy | default "IfNotPresent" }}
  restartPolicy: Always
  {{- if eq $v.engine "mysql" }}
  args:
    - {{ printf "--mysqld.address=127.0.0.1:%d" (int (get $v.ports "mysql").containerPort) | toJson }}
    - {{ printf "--mysqld.username=%s" (ternary "root" $v.auth.username $open) | toJson }}
    - {{ printf "--web.listen-address=:%d" $port | toJson }}
  {{- else if eq $v.engine "mongodb" }}
  args:
    - {{ printf "--mongodb.uri=mongodb://127.0.0.1:%d/admin" (int (get $v.ports "mongodb").containerPort) | toJson }}
    - {{ printf "--web.listen-address=:%d" $port | toJson }}
  {{- else if eq $v.engine "memcached" }}
  args:
    - {{ printf "--memcached.address=127.0.0.1:%d" (int (get $v.ports "memcached").containerPort) | toJson }}
    - {{ printf "--web.listen-address=:%d" $port | toJson }}
  {{- else if eq $v.engine "redis" }}
  args:
    - {{ printf "--web.listen-address=:%d" $port | toJson }}
  {{- else if eq $v.engine "postgresql" }}
  args:
    - {{ printf "--web.listen-address=:%d" $port | toJson }}
  {{- end }}
  {{- /* rabbitmq before 3.10: kbudde/rabbitmq-exporter reads the management API on localhost, as guest (no authentication) */}}
  {{- if ne $v.engine "memcached" }}
  env:
    {{- if eq $v.engine "postgresql" }}
    - name: DATA_SOURCE_URI
      value: {{ printf "127.0.0.1:%d/%s?sslmode=disable" (int (get $v.ports "postgresql").containerPort) $v.auth.database | toJson }}
    - name: DATA_SOURCE_USER
      value: {{ $v.auth.username | toJson }}
    {{- if not $open }}
    {{- include "castle-common.engine.secretEnv" (list . "DATA_SOURCE_PASS" "password") | nindent 4 }}
    {{- end }}
    {{- else if eq $v.engine "mysql" }}
    {{- if not $open }}
    {{- include "castle-common.engine.secretEnv" (list . "MYSQLD_EXPORTER_PASSWORD" "password") | nindent 4 }}
    {{- end }}
    {{- else if eq $v.engine "mongodb" }}
    {{- if not $open }}
    - name: MONGODB_USER
      value: {{ $v.auth.rootUsername | toJson }}
    {{- include "castle-common.engine.secretEnv" (list . "MONGODB_PASSWORD" "root-password") | nindent 4 }}
    {{- end }}
    {{- else if eq $v.engine "rabbitmq" }}
    - name: RABBIT_URL
      value: "http://127.0.0.1:15672"
    - name: RABBIT_USER
      value: guest
    - name: RABBIT_PASSWORD
      value: guest
    - name: PUBLISH_PORT
      value: {{ $port | toString | toJson }}
    {{- /* JSON, not the exporter's default BERT encoding, which the management API has from 3.6.9 only; sort= empty is harmless before 3.6.8 */}}
    - name: RABBIT_CAPABILITIES
      value: no_sort
    {{- else if eq $v.engine "redis" }}
    - name: REDIS_ADDR
      value: {{ printf "redis://127.0.0.1:%d" (int (get $v.ports "redis").containerPort) | toJson }}
    {{- if not $open }}
    {{- if ne $v.auth.username "default" }}
    - name: REDIS_USER
      value: {{ $v.auth.username | toJson }}
    {{- end }}
    {{- include "castle-common.engine.secretEnv" (list . "REDIS_PASSWORD" "password") | nindent 4 }}
    {{- end }}
    {{- end }}
  {{- end }}
  ports:
    - name: metrics
      containerPort: {{ $port }}
      protocol: TCP
  readinessProbe:
    tcpSocket:
      port: metrics
    periodSeconds: 10
  resources:
    {{- toYaml $m.exporter.resources | nindent 4 }}
  securityContext:
    {{- toYaml $v.containerSecurityContext | nindent 4 }}
  volumeMounts:
    - name: exporter-tmp
      mountPath: /tmp
{{- end }}
{{- end }}

{{/* The StatefulSet of an embedded component: one server (castle sets up no replication). */}}
{{- define "castle-common.engine.statefulset" -}}
{{- $v := .Values }}
{{- $p := $v.persistence }}
{{- $mounts := list (dict "name" "data" "mountPath" $p.mountPath) }}
{{- $volumes := list }}
{{- if not $p.enabled }}
{{- /* persistence.enabled false: the data lives as long as the pod */}}
{{- $volumes = append $volumes (dict "name" "data" "emptyDir" (dict "sizeLimit" (toString $p.size))) }}
{{- end }}
{{- if include "castle-common.engine.configData" . }}
{{- $volumes = append $volumes (dict "name" "engine-config" "configMap" (dict "name" (include "castle-common.fullname" .))) }}
{{- if eq $v.engine "mongodb" }}
{{- $mounts = append $mounts (dict "name" "engine-config" "mountPath" "/docker-entrypoint-initdb.d" "readOnly" true) }}
{{- else }}
{{- $mounts = append $mounts (dict "name" "engine-config" "mountPath" $v.rabbitmq.configFile "subPath" (base $v.rabbitmq.configFile) "readOnly" true) }}
{{- end }}
{{- end }}
{{- $files := ($v.config | default dict).files | default dict }}
{{- if $files }}
{{- $volumes = append $volumes (dict "name" "server-config" "configMap" (dict "name" (include "castle-common.suffixedName" (list . "server")))) }}
{{- range $name := keys $files | sortAlpha }}
{{- $mounts = append $mounts (dict "name" "server-config" "mountPath" (printf "%s/%s" $v.config.mountPath $name) "subPath" $name "readOnly" true) }}
{{- end }}
{{- end }}
{{- if and ($v.metrics | default dict).enabled ($v.metrics | default dict).exporter }}
{{- $volumes = append $volumes (dict "name" "exporter-tmp" "emptyDir" (dict "sizeLimit" "16Mi")) }}
{{- end }}
{{- /* the configuration file first, then castle's arguments, then the user's */}}
{{- $args := concat (include "castle-common.engine.configArgs" . | fromYamlArray) (include "castle-common.engine.args" . | fromYamlArray) ($v.args | default list) }}
{{- $pods := dict "root" . "track" "stable" "claimTemplates" true "env" (include "castle-common.engine.env" . | fromYamlArray) "args" $args "initContainers" (include "castle-common.engine.exporter" . | fromYamlArray) "volumeMounts" $mounts "volumes" $volumes "configData" (print (include "castle-common.engine.configData" .) (toYaml $files)) }}
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  {{- include "castle-common.metadata" (dict "root" . "name" (include "castle-common.shortName" .)) | nindent 2 }}
spec:
  replicas: 1
  revisionHistoryLimit: {{ $v.revisionHistoryLimit }}
  serviceName: {{ include "castle-common.suffixedName" (list . "headless") }}
  podManagementPolicy: OrderedReady
  updateStrategy:
    type: RollingUpdate
  {{- /* the volume claim outlives the release: deleting data is always a decision taken by hand */}}
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  selector:
    matchLabels:
      {{- include "castle-common.stableSelectorLabels" . | nindent 6 }}
  template:
    {{- include "castle-common.podTemplate" $pods | nindent 4 }}
  {{- if $p.enabled }}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          {{- include "castle-common.selectorLabels" . | nindent 10 }}
      spec:
        {{- include "castle-common.claimSpec" $p | nindent 8 }}
  {{- end }}
{{- end }}
