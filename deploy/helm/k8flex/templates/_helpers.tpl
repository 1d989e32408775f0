{{- define "k8flex.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "k8flex.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains (include "k8flex.name" .) .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "k8flex.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "k8flex.selectorLabels" -}}
app.kubernetes.io/name: {{ include "k8flex.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "k8flex.labels" -}}
{{ include "k8flex.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "k8flex.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "k8flex.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "k8flex.secretName" -}}
{{- default (printf "%s-secrets" (include "k8flex.fullname" .)) .Values.secrets.existingSecret -}}
{{- end -}}

{{/* Replicas: PGlite is one process's database, so embedded mode runs exactly one. */}}
{{- define "k8flex.replicas" -}}
{{- if eq .Values.database.mode "embedded" -}}1{{- else -}}{{ .Values.replicaCount }}{{- end -}}
{{- end -}}
