{{/*
The parts every app shares: its environment, Deployment, Service and PodDisruptionBudget.
Each app's own file (gateway.yaml, credentials.yaml, …) adds what is particular to it.
Arguments: (dict "root" $ "key" "<values key>" [, "env" "<EnvVar list YAML>", "volumes" "…",
"mounts" "…"]).
*/}}

{{/* DATABASE_URL and DB_SCHEMA_PREFIX of an app with a schema (services and the migration Job). */}}
{{- define "le.env.database" -}}
{{- $v := get .root.Values .key -}}
{{- $secret := .root.Values.database.existingSecret -}}
{{- $key := .root.Values.database.key -}}
{{- if dig "database" "existingSecret" "" $v -}}
{{- $secret = $v.database.existingSecret -}}
{{- $key = default "url" $v.database.key -}}
{{- end -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ required "database.existingSecret is required (a Secret with the PostgreSQL URL)" $secret }}
      key: {{ $key }}
- name: DB_SCHEMA_PREFIX
  value: {{ .root.Values.database.schemaPrefix | quote }}
{{- end -}}

{{/* NODE_EXTRA_CA_CERTS when a CA bundle is configured. */}}
{{- define "le.env.ca" -}}
{{- if .Values.extraCaBundle.secretName -}}
- name: NODE_EXTRA_CA_CERTS
  value: /etc/loyalty-edge/ca/{{ .Values.extraCaBundle.key }}
{{- end -}}
{{- end -}}

{{/* What every app reads: listen address, log level, NATS, database (libs/shared/config). */}}
{{- define "le.env.common" -}}
{{- $root := .root -}}
{{- $app := get (include "le.apps" $root | fromYaml) .key -}}
{{- $v := get $root.Values .key -}}
- name: HOST
  value: {{ $root.Values.listenHost | quote }}
- name: PORT
  value: {{ default $v.port $v.metricsPort | quote }}
- name: LOG_LEVEL
  value: {{ $root.Values.logLevel | quote }}
{{- if $app.nats }}
- name: NATS_URL
  value: {{ required "nats.url is required" $root.Values.nats.url | quote }}
- name: NATS_PREFIX
  value: {{ $root.Values.nats.prefix | quote }}
- name: NATS_REQUEST_TIMEOUT_MS
  value: {{ $root.Values.nats.requestTimeoutMs | quote }}
- name: NATS_JS_REPLICAS
  value: {{ $root.Values.nats.jetstream.replicas | quote }}
{{- if $root.Values.nats.auth.enabled }}
- name: NATS_USER
  value: {{ $app.name | quote }}
- name: NATS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ required "nats.auth.existingSecret is required when nats.auth.enabled" $root.Values.nats.auth.existingSecret }}
      key: {{ $app.name }}
{{- end }}
{{- end }}
{{- if $app.database }}
{{ include "le.env.database" . }}
{{- end }}
{{- with (include "le.env.ca" $root) }}
{{ . }}
{{- end }}
{{- end -}}

{{/* The app's `env` map (NAME: value) and raw `extraEnv`, after everything else. */}}
{{- define "le.env.user" -}}
{{- $v := get .root.Values .key -}}
{{- range $name, $value := $v.env }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- with $v.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Writable /tmp (the root filesystem is read-only) and the CA bundle. */}}
{{- define "le.volumes.common" -}}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- if .Values.extraCaBundle.secretName }}
- name: extra-ca
  secret:
    secretName: {{ .Values.extraCaBundle.secretName }}
    items:
      - key: {{ .Values.extraCaBundle.key }}
        path: {{ .Values.extraCaBundle.key }}
{{- end }}
{{- end -}}

{{- define "le.mounts.common" -}}
- name: tmp
  mountPath: /tmp
{{- if .Values.extraCaBundle.secretName }}
- name: extra-ca
  mountPath: /etc/loyalty-edge/ca
  readOnly: true
{{- end }}
{{- end -}}

{{- define "le.deployment" -}}
{{- $root := .root -}}
{{- $app := get (include "le.apps" $root | fromYaml) .key -}}
{{- $v := get $root.Values .key -}}
{{- $ctx := dict "root" $root "name" $app.name -}}
{{- $isGateway := eq .key "gateway" -}}
{{- $annotations := merge (dict) ($v.podAnnotations | default dict) ($root.Values.podAnnotations | default dict) -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "le.appFullname" $ctx }}
  labels:
    {{- include "le.componentLabels" $ctx | nindent 4 }}
spec:
  {{- if not (and $isGateway $v.autoscaling.enabled) }}
  replicas: {{ $v.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      # start the new pod before stopping an old one: capacity never drops during a rollout
      maxUnavailable: 0
      maxSurge: 1
  selector:
    matchLabels:
      {{- include "le.selector" $ctx | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "le.componentLabels" $ctx | nindent 8 }}
      {{- with $annotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      serviceAccountName: {{ include "le.serviceAccountName" $root }}
      # no app talks to the Kubernetes API
      automountServiceAccountToken: false
      # no `<SERVICE>_PORT=tcp://…` variables: a Service named e.g. `gateway` would otherwise
      # set GATEWAY_PORT and break the gateway's configuration
      enableServiceLinks: false
      terminationGracePeriodSeconds: {{ $root.Values.terminationGracePeriodSeconds }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ $app.name }}
          image: {{ include "le.image" $root | quote }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          # one image, every app: the command chooses which
          command: [node, apps/{{ $app.name }}/dist/main.js]
          ports:
            {{- if $isGateway }}
            - name: proxy
              containerPort: {{ $v.port }}
              protocol: TCP
            - name: metrics
              containerPort: {{ $v.metricsPort }}
              protocol: TCP
            {{- else }}
            - name: http
              containerPort: {{ $v.port }}
              protocol: TCP
            {{- end }}
          env:
            {{- include "le.env.common" . | nindent 12 }}
            {{- with .env }}
            {{- . | trim | nindent 12 }}
            {{- end }}
            {{- with (include "le.env.user" . | trim) }}
            {{- . | trim | nindent 12 }}
            {{- end }}
          # alive: the process answers (its HTTP server is up once migrations and connections are)
          startupProbe:
            httpGet: { path: /healthz, port: {{ ternary "metrics" "http" $isGateway }} }
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 60
          livenessProbe:
            httpGet: { path: /healthz, port: {{ ternary "metrics" "http" $isGateway }} }
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          # ready: database, NATS and (gateway) every policy bucket synced; the gateway is probed
          # on its data plane, the port integrators' traffic arrives on
          readinessProbe:
            httpGet: { path: /readyz, port: {{ ternary "proxy" "http" $isGateway }} }
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 2
          {{- if gt (int $root.Values.preStopSleepSeconds) 0 }}
          lifecycle:
            preStop:
              exec:
                command: [sleep, {{ $root.Values.preStopSleepSeconds | quote }}]
          {{- end }}
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.containerSecurityContext | nindent 12 }}
          volumeMounts:
            {{- include "le.mounts.common" $root | nindent 12 }}
            {{- with .mounts }}
            {{- . | trim | nindent 12 }}
            {{- end }}
      volumes:
        {{- include "le.volumes.common" $root | nindent 8 }}
        {{- with .volumes }}
        {{- . | trim | nindent 8 }}
        {{- end }}
      {{- with (default $root.Values.nodeSelector $v.nodeSelector) }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with (default $root.Values.tolerations $v.tolerations) }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with (default $root.Values.affinity $v.affinity) }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- if $v.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- toYaml $v.topologySpreadConstraints | nindent 8 }}
      {{- else if $root.Values.spreadOverNodesAndZones }}
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              {{- include "le.selector" $ctx | nindent 14 }}
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              {{- include "le.selector" $ctx | nindent 14 }}
      {{- end }}
{{- end -}}

{{- define "le.service" -}}
{{- $root := .root -}}
{{- $app := get (include "le.apps" $root | fromYaml) .key -}}
{{- $v := get $root.Values .key -}}
{{- $ctx := dict "root" $root "name" $app.name -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "le.appFullname" $ctx }}
  labels:
    {{- include "le.componentLabels" $ctx | nindent 4 }}
    {{- if $app.metrics }}
    # picked up by the ServiceMonitor
    loyalty-edge.io/metrics: "true"
    {{- end }}
  {{- with (dig "service" "annotations" dict $v) }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ dig "service" "type" "ClusterIP" $v }}
  {{- with (dig "service" "externalTrafficPolicy" "" $v) }}
  # Local keeps the client's address (the IP filter needs it) on NodePort/LoadBalancer
  externalTrafficPolicy: {{ . }}
  {{- end }}
  selector:
    {{- include "le.selector" $ctx | nindent 4 }}
  ports:
    {{- if eq .key "gateway" }}
    - name: proxy
      port: {{ $v.port }}
      targetPort: proxy
      protocol: TCP
    - name: metrics
      port: {{ $v.metricsPort }}
      targetPort: metrics
      protocol: TCP
    {{- else }}
    - name: http
      port: {{ $v.port }}
      targetPort: http
      protocol: TCP
    {{- end }}
{{- end -}}

{{- define "le.pdb" -}}
{{- $root := .root -}}
{{- $app := get (include "le.apps" $root | fromYaml) .key -}}
{{- $v := get $root.Values .key -}}
{{- $ctx := dict "root" $root "name" $app.name -}}
{{- if $v.pdb.enabled }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "le.appFullname" $ctx }}
  labels:
    {{- include "le.componentLabels" $ctx | nindent 4 }}
spec:
  {{- if $v.pdb.minAvailable }}
  minAvailable: {{ $v.pdb.minAvailable }}
  {{- else }}
  maxUnavailable: {{ default 1 $v.pdb.maxUnavailable }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "le.selector" $ctx | nindent 6 }}
{{- end }}
{{- end -}}

{{/* Deployment, Service and PodDisruptionBudget of one app. */}}
{{- define "le.workload" -}}
{{ include "le.deployment" . }}
---
{{ include "le.service" . }}
{{ include "le.pdb" . }}
{{- end -}}
