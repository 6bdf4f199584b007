{{/*
castle-common: the custom resources of components run by an operator or claimed from Crossplane
(subcharts <name>-operator and <name>-claim). Each resource is named <release>-<nameOverride>
(the component's name), the name the services' dependencies are wired to, and is rendered when the
cluster serves its API or when .Values.force is set. Every template takes the chart's context.
*/}}

{{/* metadata of an operator resource labelled for its cluster. Arguments: (list . name extraLabels). */}}
{{- define "castle-common.operatorMetadata" -}}
{{- include "castle-common.metadata" (dict "root" (index . 0) "name" (index . 1) "labels" (index . 2)) }}
{{- end }}

{{/* CloudNativePG: the Cluster (instances, image, initdb database and owner, storage, resources, parameters, backups to object storage). */}}
{{- define "castle-common.cnpg.cluster" -}}
{{- $v := .Values }}
{{- if include "castle-common.apiAvailable" (list true $v.force . "postgresql.cnpg.io/v1/Cluster") }}
---
apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata:
  {{- include "castle-common.metadata" (dict "root" . "name" (include "castle-common.fullname" .)) | nindent 2 }}
spec:
  instances: {{ $v.instances }}
  imageName: {{ include "castle-common.imageRef" (list $v.image $v.global) | toJson }}
  imagePullPolicy: {{ $v.image.pullPolicy }}
  bootstrap:
    initdb:
      database: {{ $v.database | toJson }}
      owner: {{ $v.owner | toJson }}
  storage:
    size: {{ $v.storage.size | toString | toJson }}
    {{- with $v.storage.storageClass }}
    storageClass: {{ . | toJson }}
    {{- end }}
  resources:
    {{- toYaml $v.resources | nindent 4 }}
  {{- with $v.parameters }}
  postgresql:
    parameters:
      {{- toYaml . | nindent 6 }}
  {{- end }}
  {{- if $v.backup.enabled }}
  backup:
    retentionPolicy: {{ $v.backup.retentionPolicy | toJson }}
    barmanObjectStore:
      destinationPath: {{ $v.backup.destinationPath | toJson }}
      {{- with $v.backup.endpointURL }}
      endpointURL: {{ . | toJson }}
      {{- end }}
      s3Credentials:
        accessKeyId:
          name: {{ $v.backup.s3Credentials.secretName | toJson }}
          key: {{ $v.backup.s3Credentials.accessKeyIdKey | toJson }}
        secretAccessKey:
          name: {{ $v.backup.s3Credentials.secretName | toJson }}
          key: {{ $v.backup.s3Credentials.secretAccessKeyKey | toJson }}
  {{- end }}
{{- end }}
{{- end }}

{{/* CloudNativePG: a PgBouncer Pooler <cluster>-pooler in front of the primary, when pooler.enabled. */}}
{{- define "castle-common.cnpg.pooler" -}}
{{- $v := .Values }}
{{- if and $v.pooler.enabled (include "castle-common.apiAvailable" (list true $v.force . "postgresql.cnpg.io/v1/Pooler")) }}
---
apiVersion: postgresql.cnpg.io/v1
kind: Pooler
metadata:
  {{- include "castle-common.metadata" (dict "root" . "name" (include "castle-common.suffixedName" (list . "pooler"))) | nindent 2 }}
spec:
  cluster:
    name: {{ include "castle-common.fullname" . }}
  instances: {{ $v.pooler.instances }}
  type: rw
  pgbouncer:
    poolMode: {{ $v.pooler.poolMode }}
  template:
    spec:
      containers:
        - name: pgbouncer
          resources:
            {{- toYaml $v.pooler.resources | nindent 12 }}
{{- end }}
{{- end }}

{{/* CloudNativePG: the ScheduledBackup of the base backups, when backup.enabled. */}}
{{- define "castle-common.cnpg.scheduledBackup" -}}
{{- $v := .Values }}
{{- if and $v.backup.enabled (include "castle-common.apiAvailable" (list true $v.force . "postgresql.cnpg.io/v1/ScheduledBackup")) }}
---
apiVersion: postgresql.cnpg.io/v1
kind: ScheduledBackup
metadata:
  {{- include "castle-common.metadata" (dict "root" . "name" (include "castle-common.fullname" .)) | nindent 2 }}
spec:
  schedule: {{ $v.backup.schedule | toJson }}
  method: barmanObjectStore
  immediate: true
  backupOwnerReference: self
  cluster:
    name: {{ include "castle-common.fullname" . }}
{{- end }}
{{- end }}

{{/* Strimzi's API: apiVersion, else kafka.strimzi.io/v1 when the cluster serves it, else v1beta2. */}}
{{- define "castle-common.strimzi.apiVersion" -}}
{{- .Values.apiVersion | default (ternary "kafka.strimzi.io/v1" "kafka.strimzi.io/v1beta2" (.Capabilities.APIVersions.Has "kafka.strimzi.io/v1/Kafka")) }}
{{- end }}

{{/* Whether to render the Strimzi resources: forced, or the cluster serves their API. */}}
{{- define "castle-common.strimzi.available" -}}
{{- if or .Values.force (.Capabilities.APIVersions.Has (printf "%s/Kafka" (include "castle-common.strimzi.apiVersion" .))) }}true{{ end }}
{{- end }}

{{/*
Strimzi: the Kafka cluster in KRaft mode (its nodes are the KafkaNodePool), with one internal
listener on 9092 that authenticates with SCRAM-SHA-512 and admits only the pods of the services
that have a KafkaUser, simple authorization, and the Topic and User Operators.
*/}}
{{- define "castle-common.strimzi.kafka" -}}
{{- $v := .Values }}
{{- if include "castle-common.strimzi.available" . }}
---
apiVersion: {{ include "castle-common.strimzi.apiVersion" . }}
kind: Kafka
metadata:
  {{- include "castle-common.metadata" (dict "root" . "name" (include "castle-common.fullname" .) "annotations" (dict "strimzi.io/node-pools" "enabled" "strimzi.io/kraft" "enabled")) | nindent 2 }}
spec:
  kafka:
    {{- with $v.version }}
    version: {{ . | toJson }}
    {{- end }}
    listeners:
      - name: plain
        port: 9092
        type: internal
        tls: false
        authentication:
          type: scram-sha-512
        {{- $peers := list }}
        {{- range $client, $user := $v.users }}
        {{- if $user.enabled }}
        {{- $peers = append $peers (dict "podSelector" (dict "matchLabels" (dict "app.kubernetes.io/name" $client "app.kubernetes.io/instance" $.Release.Name))) }}
        {{- end }}
        {{- end }}
        {{- with $peers }}
        networkPolicyPeers:
          {{- toYaml . | nindent 10 }}
        {{- end }}
    authorization:
      type: simple
    {{- with $v.config }}
    config:
      {{- toYaml . | nindent 6 }}
    {{- end }}
  entityOperator:
    topicOperator:
      resources:
        {{- toYaml $v.entityOperator.topicOperator.resources | nindent 8 }}
    userOperator:
      resources:
        {{- toYaml $v.entityOperator.userOperator.resources | nindent 8 }}
{{- end }}
{{- end }}

{{/* Strimzi: the KafkaNodePool <nameOverride> of the cluster's nodes, each both broker and controller. */}}
{{- define "castle-common.strimzi.nodePool" -}}
{{- $v := .Values }}
{{- if include "castle-common.strimzi.available" . }}
---
apiVersion: {{ include "castle-common.strimzi.apiVersion" . }}
kind: KafkaNodePool
metadata:
  {{- include "castle-common.operatorMetadata" (list . (include "castle-common.name" .) (dict "strimzi.io/cluster" (include "castle-common.fullname" .))) | nindent 2 }}
spec:
  replicas: {{ $v.replicas }}
  roles:
    - controller
    - broker
  storage:
    type: persistent-claim
    size: {{ $v.storage.size | toString | toJson }}
    {{- with $v.storage.storageClass }}
    class: {{ . | toJson }}
    {{- end }}
    deleteClaim: false
  resources:
    {{- toYaml $v.resources | nindent 4 }}
{{- end }}
{{- end }}

{{/* Strimzi: a KafkaTopic <cluster>-<id> per enabled entry of topics. */}}
{{- define "castle-common.strimzi.topics" -}}
{{- $v := .Values }}
{{- if include "castle-common.strimzi.available" . }}
{{- $cluster := include "castle-common.fullname" . }}
{{- range $id, $topic := $v.topics }}
{{- if $topic.enabled }}
---
apiVersion: {{ include "castle-common.strimzi.apiVersion" $ }}
kind: KafkaTopic
metadata:
  {{- include "castle-common.operatorMetadata" (list $ (printf "%s-%s" $cluster $id) (dict "strimzi.io/cluster" $cluster)) | nindent 2 }}
spec:
  topicName: {{ $topic.topicName | toJson }}
  partitions: {{ $topic.partitions }}
  replicas: {{ $topic.replicas }}
  {{- with $topic.config }}
  config:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Strimzi: a KafkaUser <cluster>-<service> per enabled entry of users (SCRAM-SHA-512: the User
Operator writes its password to the Secret of the same name), allowed to describe, read and write
its topics and to use the consumer groups whose id starts with the service's name.
*/}}
{{- define "castle-common.strimzi.users" -}}
{{- $v := .Values }}
{{- if include "castle-common.strimzi.available" . }}
{{- $cluster := include "castle-common.fullname" . }}
{{- range $client, $user := $v.users }}
{{- if $user.enabled }}
---
apiVersion: {{ include "castle-common.strimzi.apiVersion" $ }}
kind: KafkaUser
metadata:
  {{- include "castle-common.operatorMetadata" (list $ (printf "%s-%s" $cluster $client) (dict "strimzi.io/cluster" $cluster)) | nindent 2 }}
spec:
  authentication:
    type: scram-sha-512
  authorization:
    type: simple
    acls:
      {{- range $user.topics }}
      - resource:
          type: topic
          name: {{ . | toJson }}
          patternType: literal
        operations:
          - Describe
          - Read
          - Write
      {{- end }}
      - resource:
          type: group
          name: {{ $client | toJson }}
          patternType: prefix
        operations:
          - Describe
          - Read
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* The RabbitMQ Cluster Operator: the RabbitmqCluster, its default user owning the virtual host virtualHost. */}}
{{- define "castle-common.rabbitmq.cluster" -}}
{{- $v := .Values }}
{{- if include "castle-common.apiAvailable" (list true $v.force . "rabbitmq.com/v1beta1/RabbitmqCluster") }}
---
apiVersion: rabbitmq.com/v1beta1
kind: RabbitmqCluster
metadata:
  {{- include "castle-common.metadata" (dict "root" . "name" (include "castle-common.fullname" .)) | nindent 2 }}
spec:
  replicas: {{ $v.replicas }}
  image: {{ include "castle-common.imageRef" (list $v.image $v.global) | toJson }}
  persistence:
    storage: {{ $v.persistence.storage | toString | toJson }}
    {{- with $v.persistence.storageClassName }}
    storageClassName: {{ . | toJson }}
    {{- end }}
  resources:
    {{- toYaml $v.resources | nindent 4 }}
  rabbitmq:
    additionalConfig: {{ printf "default_vhost = %s\n" $v.virtualHost | toJson }}
{{- end }}
{{- end }}

{{/*
The MongoDB Community Operator: a replica set with SCRAM authentication and one user, dbOwner of
its database, whose password is the Secret <cluster> (made once, see castle-common.mongodb.credentials); the operator writes the user's
connection Secret <cluster>-<database>-<user>. Resources and volume sizes are set for every
container and claim the operator creates, so that the namespace's quota can count them.
*/}}
{{- define "castle-common.mongodb.community" -}}
{{- $v := .Values }}
{{- if include "castle-common.apiAvailable" (list true $v.force . "mongodbcommunity.mongodb.com/v1/MongoDBCommunity") }}
{{- $name := include "castle-common.fullname" . }}
---
apiVersion: mongodbcommunity.mongodb.com/v1
kind: MongoDBCommunity
metadata:
  {{- include "castle-common.metadata" (dict "root" . "name" $name) | nindent 2 }}
spec:
  members: {{ $v.members }}
  type: ReplicaSet
  version: {{ $v.version | toJson }}
  security:
    authentication:
      modes:
        - SCRAM
  users:
    - name: {{ $v.auth.username | toJson }}
      db: {{ $v.database | toJson }}
      passwordSecretRef:
        name: {{ include "castle-common.engine.secretName" . }}
        key: password
      roles:
        - name: dbOwner
          db: {{ $v.database | toJson }}
      scramCredentialsSecretName: {{ printf "%s-%s" $name (regexReplaceAll "[^a-z0-9-]+" (lower $v.auth.username) "-") | trunc 200 | trimSuffix "-" }}
  statefulSet:
    spec:
      template:
        spec:
          containers:
            - name: mongod
              resources:
                {{- toYaml $v.resources | nindent 16 }}
            - name: mongodb-agent
              resources:
                {{- toYaml $v.agentResources | nindent 16 }}
          initContainers:
            - name: mongod-posthook
              resources:
                {{- toYaml $v.agentResources | nindent 16 }}
            - name: mongodb-agent-readinessprobe
              resources:
                {{- toYaml $v.agentResources | nindent 16 }}
      volumeClaimTemplates:
        {{- range $volume := list (list "data-volume" $v.storage.size) (list "logs-volume" $v.logsStorage.size) }}
        - metadata:
            name: {{ index $volume 0 }}
          spec:
            accessModes:
              - ReadWriteOnce
            {{- with $v.storage.storageClass }}
            storageClassName: {{ . | toJson }}
            {{- end }}
            resources:
              requests:
                storage: {{ index $volume 1 | toString | toJson }}
        {{- end }}
{{- end }}
{{- end }}

{{/*
The MongoDB user's password: the Secret <cluster>, made once in the cluster by the generator of
_credentials.tpl (a hook Job, or the External Secrets Operator's Password generator) as an embedded
component's credentials are; the operator reads it to create the user.
*/}}
{{- define "castle-common.mongodb.credentials" -}}
{{- if include "castle-common.apiAvailable" (list true .Values.force . "mongodbcommunity.mongodb.com/v1/MongoDBCommunity") }}
{{- include "castle-common.credentials.generated" . }}
{{- end }}
{{- end }}

{{/*
A Crossplane claim (or any composite resource) of the kind and API the values name, with its
parameters and composition, writing its connection details to the Secret <name>-connection.
*/}}
{{- define "castle-common.claim" -}}
{{- $v := .Values }}
{{- if include "castle-common.apiAvailable" (list true $v.force . (printf "%s/%s" $v.apiVersion $v.kind)) }}
---
apiVersion: {{ $v.apiVersion | toJson }}
kind: {{ $v.kind | toJson }}
metadata:
  {{- include "castle-common.metadata" (dict "root" . "name" (include "castle-common.fullname" .)) | nindent 2 }}
spec:
  {{- with $v.parameters }}
  parameters:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $v.compositionRef }}
  compositionRef:
    name: {{ . | toJson }}
  {{- end }}
  {{- with $v.compositionSelector }}
  compositionSelector:
    matchLabels:
      {{- toYaml . | nindent 6 }}
  {{- end }}
  writeConnectionSecretToRef:
    name: {{ include "castle-common.suffixedName" (list . "connection") }}
{{- end }}
{{- end }}
