{{/*
The library's AnalysisTemplates, as analysis-templates/ renders them (files/*.yaml, written by
`npm run chart:templates`; never edited by hand). The files are read with .Files.Get, so Helm never parses Argo's
`{{args.x}}` placeholders; only the chart's own placeholders are replaced:
  http://__VLLM_CANARY_PROVIDER_URL__    -> this release's provider URL (vllm-canary.providerUrl)
  http://__VLLM_CANARY_PROMETHEUS_URL__  -> the Prometheus URL of the vllm-prom-* templates
  vllm-canary-chart-placeholder-token-*  -> auth.templateSecret (name, key), with auth.enabled
and the release's labels are added after the library's own.
*/}}

{{/* The Prometheus URL of the templates that query Prometheus directly. */}}
{{- define "vllm-canary.templatesPrometheusUrl" -}}
{{- if .Values.analysisTemplates.prometheusUrl -}}
{{- .Values.analysisTemplates.prometheusUrl | trimSuffix "/" -}}
{{- else if and (eq .Values.source.type "prometheus") .Values.source.prometheus.url -}}
{{- .Values.source.prometheus.url | trimSuffix "/" -}}
{{- else -}}
http://prometheus-operated.monitoring.svc:9090
{{- end -}}
{{- end -}}

{{/* The release's labels on the templates (the library sets app.kubernetes.io/name and component itself). */}}
{{- define "vllm-canary.templateLabels" -}}
helm.sh/chart: {{ include "vllm-canary.chart" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: vllm-canary
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Every ClusterAnalysisTemplate of the library, as one multi-document YAML string, for this release. */}}
{{- define "vllm-canary.libraryTemplates" -}}
{{- $file := ternary "files/cluster-analysis-templates-bearer.yaml" "files/cluster-analysis-templates.yaml" .Values.auth.enabled -}}
{{- $text := .Files.Get $file -}}
{{- if not $text -}}
{{- fail (printf "the chart file %s is missing: run npm run chart:templates" $file) -}}
{{- end -}}
{{- $text = $text | replace "http://__VLLM_CANARY_PROVIDER_URL__" (include "vllm-canary.providerUrl" .) -}}
{{- $text = $text | replace "http://__VLLM_CANARY_PROMETHEUS_URL__" (include "vllm-canary.templatesPrometheusUrl" .) -}}
{{- if .Values.auth.enabled -}}
{{- $text = $text | replace "vllm-canary-chart-placeholder-token-secret" .Values.auth.templateSecret.name -}}
{{- $text = $text | replace "vllm-canary-chart-placeholder-token-key" .Values.auth.templateSecret.key -}}
{{- end -}}
{{- $component := "    app.kubernetes.io/component: analysis-template\n" -}}
{{- $labels := include "vllm-canary.templateLabels" . | indent 4 -}}
{{- $text | replace $component (printf "%s%s\n" $component $labels) -}}
{{- end -}}
