{{/* Chart name, shortened to what a label value allows. */}}
{{- define "stagegate.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: the release name when it already contains the chart name (e.g. "stagegate"). */}}
{{- define "stagegate.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "stagegate.selectorLabels" -}}
app.kubernetes.io/name: {{ include "stagegate.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "stagegate.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "stagegate.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: stagegate
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "stagegate.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "stagegate.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "stagegate.leaseName" -}}
{{- default (include "stagegate.fullname" .) .Values.leaderElection.leaseName }}
{{- end }}

{{- define "stagegate.metricsServiceName" -}}
{{- printf "%s-metrics" (include "stagegate.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "stagegate.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
The rules the operator needs in a namespace it watches (ClusterRole when it watches all).
Kept in one place so the cluster-wide and the namespaced flavour can never drift apart.
*/}}
{{- define "stagegate.workloadRules" -}}
# Its own resources: informers (list, watch), reads, the action-annotation removal (patch), the
# finalizer of a Release that adopts a Deployment (spec.workloadRef), and status writes (server-side apply = patch; update as the fallback).
- apiGroups: ["stagegate.dev"]
  resources: ["releases", "datamigrations"]
  verbs: ["get", "list", "watch", "patch", "update"]
- apiGroups: ["stagegate.dev"]
  resources: ["releases/status", "datamigrations/status"]
  verbs: ["patch", "update"]
# Deployments and Jobs it creates carry blockOwnerDeletion: with the OwnerReferencesPermissionEnforcement
# admission plugin (e.g. OpenShift) that needs update on the owner's finalizers.
- apiGroups: ["stagegate.dev"]
  resources: ["releases/finalizers", "datamigrations/finalizers"]
  verbs: ["update"]
# CheckTemplates a Release's checks name (templateRef): read through an informer, never written.
- apiGroups: ["stagegate.dev"]
  resources: ["checktemplates"]
  verbs: ["get", "list", "watch"]
# One Deployment per revision of a Release; and spec.replicas alone of a Deployment a Release adopts
# (spec.workloadRef: watched, scaled by server-side apply = patch).
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
# Traffic routing (spec.trafficRouting.gatewayAPI): the stable and canary Services it creates and points at
# a revision (server-side apply = patch), and the weights of the HTTPRoute it names (read, then patched).
- apiGroups: [""]
  resources: ["services"]
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: ["gateway.networking.k8s.io"]
  resources: ["httproutes", "grpcroutes"]
  verbs: ["get", "list", "watch", "patch"]
# A DataMigration's load, verify and undo steps run as Jobs.
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "list", "watch", "create", "delete"]
# Before an undo starts, the pods of the aborted Job must have stopped: listed by its job-name label, never changed.
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list"]
# Prometheus and database credentials named by a resource: read by name, never listed or watched.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get"]
# What `kubectl describe` shows.
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}

{{- define "stagegate.clusterTemplateRules" -}}
# ClusterCheckTemplates are cluster-scoped: read through an informer, never written.
- apiGroups: ["stagegate.dev"]
  resources: ["clusterchecktemplates"]
  verbs: ["get", "list", "watch"]
{{- end }}
