{{/*
Names, labels and the app registry shared by every template.
*/}}

{{- define "le.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* <release>-loyalty-edge, or the release name when it already says loyalty-edge. */}}
{{- define "le.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 48 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 48 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 48 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Name of one app's resources: <fullname>-<app> (at most 63 characters). */}}
{{- define "le.appFullname" -}}
{{- printf "%s-%s" (include "le.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "le.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels every resource carries. */}}
{{- define "le.labels" -}}
helm.sh/chart: {{ include "le.chart" . }}
app.kubernetes.io/name: {{ include "le.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: loyalty-edge
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selector of the release's pods (every app). */}}
{{- define "le.releaseSelector" -}}
app.kubernetes.io/name: {{ include "le.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Selector of one app's pods: (dict "root" $ "name" "gateway"). */}}
{{- define "le.selector" -}}
{{ include "le.releaseSelector" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "le.componentLabels" -}}
{{ include "le.labels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "le.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "le.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "le.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/*
The apps: values key, app name (apps/<name>, NATS user, component label), HTTP port, whether it
connects to NATS, keeps a PostgreSQL schema (and so has `migrate`), and serves /metrics.
Migrations run in this order.
*/}}
{{- define "le.apps" -}}
gateway: { name: gateway, nats: true, database: false, metrics: true }
credentials: { name: credentials, nats: true, database: true, metrics: true }
ipFilter: { name: ip-filter, nats: true, database: true, metrics: true }
signature: { name: signature, nats: true, database: true, metrics: true }
token: { name: token, nats: true, database: true, metrics: true }
audit: { name: audit, nats: true, database: true, metrics: true }
loyaltyApi: { name: loyalty-api, nats: true, database: true, metrics: true }
managementApi: { name: management-api, nats: true, database: true, metrics: true }
adminWeb: { name: admin-web, nats: false, database: false, metrics: false }
{{- end -}}

{{/* Values keys of the apps with a schema, in migration order. */}}
{{- define "le.migrationOrder" -}}
credentials ipFilter signature token audit loyaltyApi managementApi
{{- end -}}

{{/* In-cluster URL of an app: (dict "root" $ "key" "loyaltyApi"). */}}
{{- define "le.appUrl" -}}
{{- $app := get (include "le.apps" .root | fromYaml) .key -}}
{{- $values := get .root.Values .key -}}
{{- printf "http://%s:%v" (include "le.appFullname" (dict "root" .root "name" $app.name)) $values.port -}}
{{- end -}}

{{/* NATS_PASSWORD of a user's Secret key, as the nats-server reads it too. */}}
{{- define "le.natsPasswordVariable" -}}
{{- printf "LE_NATS_PASSWORD_%s" (. | upper | replace "-" "_") -}}
{{- end -}}
