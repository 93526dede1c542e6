{{/*
Names, labels and the values the templates share. Names follow Kubernetes' 63-character limit for labels and
DNS-1123 labels.
*/}}

{{/* The chart name, or nameOverride. */}}
{{- define "vllm-canary.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The full name of the objects: fullnameOverride, else the release name when it contains the chart name, else
"<release>-<chart>"; at most 63 characters.
*/}}
{{- define "vllm-canary.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* "<fullname>-<suffix>", the whole kept within 63 characters. Call with (list . "suffix"). */}}
{{- define "vllm-canary.componentName" -}}
{{- $root := index . 0 -}}
{{- $suffix := index . 1 -}}
{{- $base := include "vllm-canary.fullname" $root | trunc (int (sub 62 (len $suffix))) | trimSuffix "-" -}}
{{- printf "%s-%s" $base $suffix -}}
{{- end -}}

{{/* Chart name and version, for the helm.sh/chart label. */}}
{{- define "vllm-canary.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The labels that select the provider's pods; they never change across upgrades. */}}
{{- define "vllm-canary.selectorLabels" -}}
app.kubernetes.io/name: {{ include "vllm-canary.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: metrics-provider
{{- end -}}

{{/* The labels on every object: selector labels, version, chart, manager, and commonLabels. */}}
{{- define "vllm-canary.labels" -}}
helm.sh/chart: {{ include "vllm-canary.chart" . }}
{{ include "vllm-canary.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: vllm-canary
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The labels of objects that are not the provider's (templates, monitors, dashboard): no component. */}}
{{- define "vllm-canary.libraryLabels" -}}
helm.sh/chart: {{ include "vllm-canary.chart" . }}
app.kubernetes.io/name: {{ include "vllm-canary.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: vllm-canary
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The provider's ServiceAccount name. */}}
{{- define "vllm-canary.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "vllm-canary.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The provider image: repository@digest, or repository:tag (tag defaults to appVersion). */}}
{{- define "vllm-canary.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* The URL the AnalysisTemplates call: analysisTemplates.providerUrl, else this release's Service. */}}
{{- define "vllm-canary.providerUrl" -}}
{{- if .Values.analysisTemplates.providerUrl -}}
{{- .Values.analysisTemplates.providerUrl | trimSuffix "/" -}}
{{- else -}}
{{- printf "http://%s.%s.svc:%d" (include "vllm-canary.fullname" .) .Release.Namespace (int .Values.service.port) -}}
{{- end -}}
{{- end -}}

{{/* Whether the scrape source discovers pods through the Kubernetes API ("true" or ""). */}}
{{- define "vllm-canary.kubernetesDiscovery" -}}
{{- if and (eq .Values.source.type "scrape") .Values.source.scrape.kubernetes.enabled -}}true{{- end -}}
{{- end -}}

{{/* The Secret holding the provider's API token, and its key. */}}
{{- define "vllm-canary.apiTokenSecretName" -}}
{{- default (include "vllm-canary.componentName" (list . "api-token")) .Values.auth.existingSecret -}}
{{- end -}}
{{- define "vllm-canary.apiTokenSecretKey" -}}
{{- if .Values.auth.existingSecret -}}{{ .Values.auth.existingSecretKey }}{{- else -}}token{{- end -}}
{{- end -}}

{{/*
The API token the chart generates: the one already stored in the release's Secret (so upgrades keep it), else a
new random one. Base64-encoded, as Secret data is.
*/}}
{{- define "vllm-canary.generatedApiToken" -}}
{{- $existing := lookup "v1" "Secret" .Release.Namespace (include "vllm-canary.componentName" (list . "api-token")) -}}
{{- if and $existing $existing.data (hasKey $existing.data "token") -}}
{{- index $existing.data "token" -}}
{{- else -}}
{{- randAlphaNum 48 | b64enc -}}
{{- end -}}
{{- end -}}

{{/* Whether the chart mounts a datasets ConfigMap ("true" or ""). */}}
{{- define "vllm-canary.hasDatasets" -}}
{{- if or .Values.quality.datasets (.Files.Glob "files/datasets/*") -}}true{{- end -}}
{{- end -}}

{{/* Namespaces the discovery RBAC covers: the scrape namespace and rbac.extraNamespaces, each once. */}}
{{- define "vllm-canary.watchedNamespaces" -}}
{{- $namespaces := list -}}
{{- with .Values.source.scrape.kubernetes.namespace -}}
{{- $namespaces = append $namespaces . -}}
{{- end -}}
{{- range .Values.rbac.extraNamespaces -}}
{{- $namespaces = append $namespaces . -}}
{{- end -}}
{{- toJson (uniq $namespaces) -}}
{{- end -}}

{{/* Where the pod finds its files; the configuration names these paths. */}}
{{- define "vllm-canary.paths" -}}
{{- toJson (dict
  "configDir" "/etc/vllm-canary"
  "datasetsDir" "/var/lib/vllm-canary/datasets"
  "apiTokenDir" "/var/run/secrets/vllm-canary/api-token"
  "bearerDir" "/var/run/secrets/vllm-canary/prometheus-bearer"
  "basicAuthDir" "/var/run/secrets/vllm-canary/prometheus-basic-auth"
  "caDir" "/etc/ssl/vllm-canary/prometheus-ca"
  "vllmApiKeyDir" "/var/run/secrets/vllm-canary/vllm-api-key"
) -}}
{{- end -}}

{{/*
The provider's configuration file (metrics-provider/config/schema.ts), as YAML. Credentials are never in it: it
names the files where the pod finds them.
*/}}
{{- define "vllm-canary.config" -}}
{{- $v := .Values -}}
{{- $paths := include "vllm-canary.paths" . | fromJson -}}
{{- $config := dict "logLevel" $v.provider.logLevel -}}
{{- $_ := set $config "server" (dict
  "host" "0.0.0.0"
  "port" 8080
  "deadlineSeconds" $v.provider.deadlineSeconds
  "bodyLimitBytes" $v.provider.bodyLimitBytes
  "rateLimit" (dict "requestsPerSecond" $v.provider.rateLimit.requestsPerSecond "burst" $v.provider.rateLimit.burst)
  "workers" $v.provider.workers
) -}}
{{- $auth := dict -}}
{{- if $v.auth.enabled -}}
{{- $_ := set $auth "tokenFile" (printf "%s/%s" $paths.apiTokenDir (include "vllm-canary.apiTokenSecretKey" .)) -}}
{{- end -}}
{{- $_ := set $config "auth" $auth -}}
{{- if eq $v.source.type "prometheus" -}}
{{- $p := $v.source.prometheus -}}
{{- $prometheus := dict "url" ($p.url | trimSuffix "/") "timeoutSeconds" $p.timeoutSeconds "cacheTtlSeconds" $p.cacheTtlSeconds -}}
{{- with $p.headers -}}
{{- $_ := set $prometheus "headers" . -}}
{{- end -}}
{{- if $p.bearerToken.existingSecret -}}
{{- $_ := set $prometheus "bearerTokenFile" (printf "%s/%s" $paths.bearerDir $p.bearerToken.key) -}}
{{- end -}}
{{- if $p.basicAuth.existingSecret -}}
{{- $_ := set $prometheus "basicAuth" (dict "username" $p.basicAuth.username "passwordFile" (printf "%s/%s" $paths.basicAuthDir $p.basicAuth.passwordKey)) -}}
{{- end -}}
{{- $tls := dict -}}
{{- if or $p.tls.ca.configMap $p.tls.ca.secret -}}
{{- $_ := set $tls "caFile" (printf "%s/%s" $paths.caDir $p.tls.ca.key) -}}
{{- end -}}
{{- if $p.tls.insecureSkipVerify -}}
{{- $_ := set $tls "insecureSkipVerify" true -}}
{{- end -}}
{{- if $tls -}}
{{- $_ := set $prometheus "tls" $tls -}}
{{- end -}}
{{- $_ := set $config "source" (dict "type" "prometheus" "prometheus" $prometheus) -}}
{{- else -}}
{{- $s := $v.source.scrape -}}
{{- $scrape := dict
  "intervalSeconds" $s.intervalSeconds
  "timeoutSeconds" $s.timeoutSeconds
  "retentionSeconds" $s.retentionSeconds
  "maxSeries" $s.maxSeries
  "staticTargets" $s.staticTargets
-}}
{{- if $s.kubernetes.enabled -}}
{{- $k := dict "namespace" $s.kubernetes.namespace "port" $s.kubernetes.port -}}
{{- with $s.kubernetes.podSelector -}}
{{- $_ := set $k "podSelector" . -}}
{{- end -}}
{{- with $s.kubernetes.service -}}
{{- $_ := set $k "service" . -}}
{{- end -}}
{{- $_ := set $scrape "kubernetes" $k -}}
{{- end -}}
{{- $_ := set $config "source" (dict "type" "scrape" "scrape" $scrape) -}}
{{- end -}}
{{- $_ := set $config "labels" (dict
  "namespace" $v.provider.labels.namespace
  "podTemplateHash" $v.provider.labels.podTemplateHash
  "service" $v.provider.labels.service
  "model" $v.provider.labels.model
) -}}
{{- $q := $v.quality -}}
{{- $quality := dict
  "requestsPerMinute" $q.requestsPerMinute
  "concurrency" $q.concurrency
  "timeoutSeconds" $q.timeoutSeconds
  "maxTokens" $q.maxTokens
  "servicePort" $q.servicePort
  "scoresFrom" $q.scoresFrom
-}}
{{- if include "vllm-canary.hasDatasets" . -}}
{{- $_ := set $quality "datasetsDir" $paths.datasetsDir -}}
{{- end -}}
{{- if $q.apiKey.existingSecret -}}
{{- $_ := set $quality "apiKeyFile" (printf "%s/%s" $paths.vllmApiKeyDir $q.apiKey.key) -}}
{{- end -}}
{{- $_ := set $config "quality" $quality -}}
{{- toYaml $config -}}
{{- end -}}
