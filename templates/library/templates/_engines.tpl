{{/*
Embedded infrastructure components: one server pod of an official image (.Values.engine:
postgresql, mysql, mongodb, redis, rabbitmq or kafka), running the image's own entrypoint as the
image's own user, with a read-only root filesystem: the image writes only to its data volume
(persistence.mountPath) and to the emptyDirs of .Values.volumes. What each image needs is below,
one named template per engine and concern.
*/}}

{{/* The Secret of the component's credentials: <fullname>. */}}
{{- define "castle-common.engine.secretName" -}}
{{- include "castle-common.fullname" . }}
{{- end }}

{{/* A variable read from the credentials Secret. Arguments: (list . name key). */}}
{{- define "castle-common.engine.secretEnv" -}}
- name: {{ index . 1 }}
  valueFrom:
    secretKeyRef:
      name: {{ include "castle-common.engine.secretName" (index . 0) }}
      key: {{ index . 2 }}
{{- end }}

{{/* The engine's environment, in Kubernetes form. */}}
{{- define "castle-common.engine.env" -}}
{{- $v := .Values }}
{{- $data := $v.persistence.mountPath }}
{{- if eq $v.engine "postgresql" }}
- name: POSTGRES_USER
  value: {{ $v.auth.username | toJson }}
{{ include "castle-common.engine.secretEnv" (list . "POSTGRES_PASSWORD" "password") }}
- name: POSTGRES_DB
  value: {{ $v.auth.database | toJson }}
{{- /* initdb needs an empty folder: a subdirectory of the volume (which may hold lost+found) */}}
- name: PGDATA
  value: {{ printf "%s/pgdata" $data | toJson }}
{{- else if eq $v.engine "mysql" }}
- name: MYSQL_USER
  value: {{ $v.auth.username | toJson }}
{{ include "castle-common.engine.secretEnv" (list . "MYSQL_PASSWORD" "password") }}
- name: MYSQL_DATABASE
  value: {{ $v.auth.database | toJson }}
{{- /* no root password anywhere: a random one, printed once in the log of the first start; root only from inside the pod */}}
- name: MYSQL_RANDOM_ROOT_PASSWORD
  value: "yes"
- name: MYSQL_ROOT_HOST
  value: localhost
{{- else if eq $v.engine "mongodb" }}
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
{{- /* mongosh (init script, probes) keeps its state in HOME: on the /tmp emptyDir */}}
- name: HOME
  value: /tmp
{{- else if eq $v.engine "redis" }}
- name: REDIS_USERNAME
  value: {{ $v.auth.username | toJson }}
{{ include "castle-common.engine.secretEnv" (list . "REDIS_PASSWORD" "password") }}
{{- /* redis-cli (probes, kubectl exec) reads the password from here, never from its command line */}}
{{ include "castle-common.engine.secretEnv" (list . "REDISCLI_AUTH" "password") }}
{{- else if eq $v.engine "rabbitmq" }}
- name: RABBITMQ_DEFAULT_USER
  value: {{ $v.auth.username | toJson }}
{{ include "castle-common.engine.secretEnv" (list . "RABBITMQ_DEFAULT_PASS" "password") }}
- name: RABBITMQ_DEFAULT_VHOST
  value: {{ $v.auth.virtualHost | toJson }}
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
  value: {{ printf "PLAINTEXT://%s:%v,LOOPBACK://127.0.0.1:9094" (include "castle-common.fullname" .) $port | toJson }}
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
{{- end }}
{{- end }}

{{/* The engine's arguments to the image's entrypoint (empty: the image's own). */}}
{{- define "castle-common.engine.args" -}}
{{- $v := .Values }}
{{- if eq $v.engine "mysql" }}
{{- /* mysqld --initialize needs an empty folder: a subdirectory of the volume (which may hold lost+found) */}}
- {{ printf "--datadir=%s/data" $v.persistence.mountPath | toJson }}
{{- else if eq $v.engine "redis" }}
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
{{- if eq .Values.engine "mongodb" }}
{{- /* run once by the image's entrypoint at the first initialization: the user gets dbOwner of its own database only */}}
10-castle-user.js: |
  db.createUser({
    user: process.env.MONGO_INITDB_APP_USERNAME,
    pwd: process.env.MONGO_INITDB_APP_PASSWORD,
    roles: [{ role: "dbOwner", db: db.getName() }]
  });
{{- else if eq .Values.engine "rabbitmq" }}
{{- /* added to the image's conf.d: logs to the console only (the root filesystem is read-only) */}}
90-castle.conf: |
  log.console = true
  log.file = false
{{- end }}
{{- end }}

{{/* The ConfigMap of castle's own files, for the engines that have some. */}}
{{- define "castle-common.engine.configmap" -}}
{{- with include "castle-common.engine.configData" . }}
apiVersion: v1
kind: ConfigMap
metadata:
  {{- include "castle-common.metadata" (dict "root" $ "name" (include "castle-common.fullname" $)) | nindent 2 }}
data:
  {{- . | nindent 2 }}
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
{{- $mounts = append $mounts (dict "name" "engine-config" "mountPath" "/etc/rabbitmq/conf.d/90-castle.conf" "subPath" "90-castle.conf" "readOnly" true) }}
{{- end }}
{{- end }}
{{- $pods := dict "root" . "track" "stable" "claimTemplates" true "env" (include "castle-common.engine.env" . | fromYamlArray) "args" (include "castle-common.engine.args" . | fromYamlArray) "volumeMounts" $mounts "volumes" $volumes "configData" (include "castle-common.engine.configData" .) }}
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
