{{/*
Generated credentials of an embedded component: the Secret <fullname> with the keys username and
password (and root-password for mongodb), which the server and its clients read. No password is in
any file, and none is made by the template engine (randAlphaNum at each render would change it at
every helm template, that is at every Argo CD sync): the Secret is made once, in the cluster, and
kept (also on uninstall, beside the data volume) by one of (.Values.credentials.generator):

- job: a Job that creates the Secret only when it is absent, run as a Helm pre-install/pre-upgrade
  hook (Argo CD maps it to PreSync; Flux's helm-controller runs it like Helm), or, in the Kustomize
  output (global.offline), as an Argo CD PreSync hook that kubectl apply -k and Flux run as a plain
  Job. Its ServiceAccount may only read that one Secret and create Secrets, through a short-lived
  token mounted in that container only.
- externalSecrets: an ExternalSecret of the External Secrets Operator with its Password generator,
  created once (refreshPolicy CreatedOnce) and left in place (creationPolicy Orphan).
*/}}

{{/* The keys a password is generated for. */}}
{{- define "castle-common.credentials.keys" -}}
{{- if eq .Values.engine "mongodb" }}{{ list "password" "root-password" | toJson }}{{ else }}{{ list "password" | toJson }}{{ end }}
{{- end }}

{{/* Annotations of an object made before the release's own: a hook of Helm, or of Argo CD in the Kustomize output. Arguments: (list . weight). */}}
{{- define "castle-common.credentials.hookAnnotations" -}}
{{- $root := index . 0 }}
{{- $weight := toString (index . 1) }}
{{- if ($root.Values.global).offline }}
{{- toYaml (dict "argocd.argoproj.io/hook" "PreSync" "argocd.argoproj.io/hook-delete-policy" "BeforeHookCreation" "argocd.argoproj.io/sync-wave" $weight "kustomize.toolkit.fluxcd.io/force" "enabled") }}
{{- else }}
{{- toYaml (dict "helm.sh/hook" "pre-install,pre-upgrade" "helm.sh/hook-weight" $weight "helm.sh/hook-delete-policy" "before-hook-creation,hook-succeeded") }}
{{- end }}
{{- end }}

{{/* The objects that make the credentials Secret of an embedded component whose auth is generated. */}}
{{- define "castle-common.credentials" -}}
{{- if eq (include "castle-common.engine.authMode" .) "generated" }}
{{- include "castle-common.credentials.generated" . }}
{{- end }}
{{- end }}

{{/* The objects that make the credentials Secret, by the chosen generator. */}}
{{- define "castle-common.credentials.generated" -}}
{{- if eq .Values.credentials.generator "externalSecrets" }}
{{- include "castle-common.credentials.passwordGenerator" . }}
{{- else }}
{{- include "castle-common.credentials.job" . }}
{{- end }}
{{- end }}

{{/* What the Secret says besides its passwords: its metadata and username, as JSON (the Job adds the passwords). */}}
{{- define "castle-common.credentials.secretPrefix" -}}
{{- $labels := dict "app.kubernetes.io/name" (include "castle-common.name" .) "app.kubernetes.io/instance" .Release.Name "app.kubernetes.io/component" "credentials" "app.kubernetes.io/managed-by" "castle" }}
{{- $annotations := dict "helm.sh/resource-policy" "keep" "argocd.argoproj.io/compare-options" "IgnoreExtraneous" "argocd.argoproj.io/sync-options" "Prune=false" }}
{{- $secret := dict "apiVersion" "v1" "kind" "Secret" "type" "Opaque" "metadata" (dict "name" (include "castle-common.engine.secretName" .) "labels" $labels "annotations" $annotations) "data" (dict "username" (.Values.auth.username | b64enc)) }}
{{- printf "%s,\"stringData\":{" (toJson $secret | trimSuffix "}") }}
{{- end }}

{{/*
The Job's script: reads the Secret; when it exists, keeps it; when it does not (HTTP 404), creates
it with a random password per key (from /dev/urandom, letters and digits only, so that it fits any
URL); a Secret created meanwhile by another run (HTTP 409) is kept too. Everything the user wrote
reaches it through environment variables, never as script text.
*/}}
{{- define "castle-common.credentials.script" -}}
set -eu
sa="$SERVICE_ACCOUNT_DIR"
url="$API_SERVER/api/v1/namespaces/$(cat "$sa/namespace")/secrets"
token="$(cat "$sa/token")"
response="${TMPDIR:-/tmp}/response"
request() { curl --silent --show-error --cacert "$sa/ca.crt" -H "Authorization: Bearer $token" "$@"; }
status="$(request -o "$response" -w '%{http_code}' "$url/$SECRET_NAME")"
if [ "$status" = 200 ]; then
  echo "Secret $SECRET_NAME exists: its credentials are kept"
  exit 0
fi
if [ "$status" != 404 ]; then
  echo "reading Secret $SECRET_NAME: HTTP $status" >&2
  cat "$response" >&2
  exit 1
fi
body="$SECRET_PREFIX"
separator=""
for key in $PASSWORD_KEYS; do
  password="$(head -c 512 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c "$PASSWORD_LENGTH")"
  if [ "${#password}" -ne "$PASSWORD_LENGTH" ]; then
    echo "could not generate a password of $PASSWORD_LENGTH characters" >&2
    exit 1
  fi
  body="$body$separator\"$key\":\"$password\""
  separator=","
done
status="$(printf '%s}}' "$body" | request -o "$response" -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data-binary @- "$url")"
case "$status" in
  201) echo "Secret $SECRET_NAME created" ;;
  409) echo "Secret $SECRET_NAME was created meanwhile: its credentials are kept" ;;
  *) echo "creating Secret $SECRET_NAME: HTTP $status" >&2; cat "$response" >&2; exit 1 ;;
esac
{{- end }}

{{/* The Job that creates the credentials Secret when it is absent, with its ServiceAccount, Role and RoleBinding. */}}
{{- define "castle-common.credentials.job" -}}
{{- $job := .Values.credentials.job }}
{{- $name := include "castle-common.suffixedName" (list . "credentials") }}
{{- $secret := include "castle-common.engine.secretName" . }}
{{- $access := dict "root" . "name" $name "annotations" (include "castle-common.credentials.hookAnnotations" (list . -20) | fromYaml) }}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  {{- include "castle-common.metadata" $access | nindent 2 }}
automountServiceAccountToken: false
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  {{- include "castle-common.metadata" $access | nindent 2 }}
rules:
  - apiGroups: [""]
    resources: [secrets]
    resourceNames: [{{ $secret | quote }}]
    verbs: [get]
  - apiGroups: [""]
    resources: [secrets]
    verbs: [create]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  {{- include "castle-common.metadata" $access | nindent 2 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {{ $name }}
subjects:
  - kind: ServiceAccount
    name: {{ $name }}
    namespace: {{ .Release.Namespace }}
{{- if $job.networkPolicy }}
---
{{- /*
The network policies of the release cover the Job's pod (castle.dev/track: credentials), which
reaches only DNS and the API server; the API server's address is the cluster's, so any address on
its ports (443 at the Service, 6443 at the endpoints most clusters have).
*/}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  {{- include "castle-common.metadata" $access | nindent 2 }}
spec:
  podSelector:
    matchLabels:
      {{- include "castle-common.selectorLabels" . | nindent 6 }}
      castle.dev/track: credentials
  policyTypes:
    - Egress
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
    - to:
        - ipBlock:
            cidr: 0.0.0.0/0
        - ipBlock:
            cidr: ::/0
      ports:
        - port: 443
          protocol: TCP
        - port: 6443
          protocol: TCP
{{- end }}
---
apiVersion: batch/v1
kind: Job
metadata:
  {{- include "castle-common.metadata" (dict "root" . "name" $name "annotations" (include "castle-common.credentials.hookAnnotations" (list . -10) | fromYaml)) | nindent 2 }}
spec:
  backoffLimit: {{ $job.backoffLimit }}
  activeDeadlineSeconds: {{ $job.activeDeadlineSeconds }}
  template:
    metadata:
      labels:
        {{- include "castle-common.selectorLabels" . | nindent 8 }}
        castle.dev/track: credentials
    spec:
      serviceAccountName: {{ $name }}
      automountServiceAccountToken: false
      restartPolicy: Never
      securityContext:
        runAsNonRoot: true
        runAsUser: {{ $job.securityContext.runAsUser }}
        runAsGroup: {{ $job.securityContext.runAsGroup }}
        seccompProfile:
          type: RuntimeDefault
      {{- with (concat (.Values.imagePullSecrets | default list) ((.Values.global).imagePullSecrets | default list)) | uniq }}
      imagePullSecrets:
        {{- range . }}
        - name: {{ . }}
        {{- end }}
      {{- end }}
      containers:
        - name: credentials
          image: {{ include "castle-common.imageRef" (list $job.image .Values.global) }}
          imagePullPolicy: {{ $job.image.pullPolicy }}
          command:
            - sh
            - -c
            - |
              {{- include "castle-common.credentials.script" . | nindent 14 }}
          env:
            - name: SECRET_NAME
              value: {{ $secret | toJson }}
            - name: SECRET_PREFIX
              value: {{ include "castle-common.credentials.secretPrefix" . | toJson }}
            - name: PASSWORD_KEYS
              value: {{ include "castle-common.credentials.keys" . | fromJsonArray | join " " | toJson }}
            - name: PASSWORD_LENGTH
              value: {{ .Values.credentials.length | toString | toJson }}
            - name: API_SERVER
              value: https://kubernetes.default.svc
            - name: SERVICE_ACCOUNT_DIR
              value: /var/run/secrets/castle/api
          resources:
            {{- toYaml $job.resources | nindent 12 }}
          securityContext:
            {{- toYaml $job.securityContext | nindent 12 }}
          volumeMounts:
            - name: api
              mountPath: /var/run/secrets/castle/api
              readOnly: true
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: api
          projected:
            sources:
              - serviceAccountToken:
                  path: token
                  expirationSeconds: 600
              - configMap:
                  name: kube-root-ca.crt
                  items:
                    - key: ca.crt
                      path: ca.crt
              - downwardAPI:
                  items:
                    - path: namespace
                      fieldRef:
                        fieldPath: metadata.namespace
        - name: tmp
          emptyDir:
            sizeLimit: 1Mi
{{- end }}

{{/* The External Secrets Operator's Password generator and the ExternalSecret that fills the credentials Secret from it, once. */}}
{{- define "castle-common.credentials.passwordGenerator" -}}
{{- $secret := include "castle-common.engine.secretName" . }}
{{- $generator := include "castle-common.suffixedName" (list . "password") }}
{{- $wave := dict "argocd.argoproj.io/sync-wave" "-1" }}
---
apiVersion: generators.external-secrets.io/v1alpha1
kind: Password
metadata:
  {{- include "castle-common.metadata" (dict "root" . "name" $generator "annotations" $wave) | nindent 2 }}
spec:
  length: {{ .Values.credentials.length }}
  symbols: 0
  noUpper: false
  allowRepeat: true
  encoding: raw
  secretKeys: {{ include "castle-common.credentials.keys" . }}
---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  {{- include "castle-common.metadata" (dict "root" . "name" $secret "annotations" $wave) | nindent 2 }}
spec:
  refreshPolicy: CreatedOnce
  refreshInterval: 1h
  target:
    name: {{ $secret }}
    creationPolicy: Orphan
    deletionPolicy: Retain
    template:
      engineVersion: v2
      mergePolicy: Merge
      type: Opaque
      metadata:
        labels:
          app.kubernetes.io/name: {{ include "castle-common.name" . }}
          app.kubernetes.io/instance: {{ .Release.Name }}
          app.kubernetes.io/component: credentials
        annotations:
          helm.sh/resource-policy: keep
      data:
        username: {{ .Values.auth.username | toJson }}
  dataFrom:
    - sourceRef:
        generatorRef:
          apiVersion: generators.external-secrets.io/v1alpha1
          kind: Password
          name: {{ $generator }}
{{- end }}
