{{/*
Checks across values that values.schema.json cannot express, and reports every problem at once:

  vllm-canary: invalid values:
    - source.prometheus.url is required when source.type is prometheus ...
    - ...
*/}}
{{- define "vllm-canary.validateValues" -}}
{{- $problems := list -}}
{{- $v := .Values -}}

{{- if eq $v.source.type "prometheus" -}}
{{- $p := $v.source.prometheus -}}
{{- if not $p.url -}}
{{- $problems = append $problems "source.prometheus.url is required when source.type is prometheus (e.g. http://prometheus-operated.monitoring.svc:9090)" -}}
{{- end -}}
{{- if and $p.basicAuth.username (not $p.basicAuth.existingSecret) -}}
{{- $problems = append $problems "source.prometheus.basicAuth.existingSecret is required with basicAuth.username (the Secret holding the password)" -}}
{{- end -}}
{{- if and $p.basicAuth.existingSecret (not $p.basicAuth.username) -}}
{{- $problems = append $problems "source.prometheus.basicAuth.username is required with basicAuth.existingSecret" -}}
{{- end -}}
{{- if and $p.bearerToken.existingSecret $p.basicAuth.existingSecret -}}
{{- $problems = append $problems "source.prometheus: set bearerToken or basicAuth, not both" -}}
{{- end -}}
{{- if and $p.tls.ca.configMap $p.tls.ca.secret -}}
{{- $problems = append $problems "source.prometheus.tls.ca: set configMap or secret, not both" -}}
{{- end -}}
{{- if and $p.url (hasPrefix "http://" $p.url) (or $p.tls.ca.configMap $p.tls.ca.secret $p.tls.insecureSkipVerify) -}}
{{- $problems = append $problems "source.prometheus.tls is set but source.prometheus.url is http://, not https://" -}}
{{- end -}}
{{- else -}}
{{- $s := $v.source.scrape -}}
{{- if and (not $s.staticTargets) (not $s.kubernetes.enabled) -}}
{{- $problems = append $problems "source.scrape needs targets: set source.scrape.kubernetes.enabled (discovery) or source.scrape.staticTargets" -}}
{{- end -}}
{{- if $s.kubernetes.enabled -}}
{{- if not $s.kubernetes.namespace -}}
{{- $problems = append $problems "source.scrape.kubernetes.namespace is required when source.scrape.kubernetes.enabled is true (the namespace of the vLLM pods)" -}}
{{- end -}}
{{- if and $s.kubernetes.podSelector $s.kubernetes.service -}}
{{- $problems = append $problems "source.scrape.kubernetes: set podSelector or service, not both" -}}
{{- end -}}
{{- if not (or $s.kubernetes.podSelector $s.kubernetes.service) -}}
{{- $problems = append $problems "source.scrape.kubernetes: set podSelector (e.g. app.kubernetes.io/name=vllm) or service" -}}
{{- end -}}
{{- if and $v.rbac.create (not $v.serviceAccount.create) (not $v.serviceAccount.name) -}}
{{- $problems = append $problems "serviceAccount.name is required when serviceAccount.create is false and rbac.create grants discovery rights (they would go to the namespace's default ServiceAccount)" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- if and (eq $v.source.type "scrape") (gt (int $v.provider.workers) 1) -}}
{{- $problems = append $problems (printf "provider.workers (%v) must be 1 with source.type: scrape (the scrape source keeps its history in one process)" $v.provider.workers) -}}
{{- end -}}

{{- if and (eq $v.quality.scoresFrom "prometheus") (ne $v.source.type "prometheus") -}}
{{- $problems = append $problems "quality.scoresFrom: prometheus needs source.type: prometheus" -}}
{{- end -}}

{{- if $v.auth.rolloutNamespaces -}}
{{- if not $v.auth.enabled -}}
{{- $problems = append $problems "auth.rolloutNamespaces is set but auth.enabled is false" -}}
{{- else if $v.auth.existingSecret -}}
{{- $problems = append $problems "auth.rolloutNamespaces needs the chart-generated token: with auth.existingSecret, copy that Secret into the Rollouts' namespaces yourself" -}}
{{- end -}}
{{- end -}}

{{- if and (or $v.analysisTemplates.clusterScoped.enabled $v.analysisTemplates.namespaces) (ge (float64 $v.provider.deadlineSeconds) 10.0) -}}
{{- $problems = append $problems (printf "provider.deadlineSeconds (%v) must be below the templates' timeoutSeconds (10), or Argo gives up before the provider answers" $v.provider.deadlineSeconds) -}}
{{- end -}}

{{- if $v.rbac.clusterWide -}}
{{- if $v.rbac.extraNamespaces -}}
{{- $problems = append $problems "rbac.extraNamespaces has no effect with rbac.clusterWide: remove one of them" -}}
{{- end -}}
{{- end -}}

{{- $pdb := $v.podDisruptionBudget -}}
{{- if and $pdb.enabled (eq (toString $pdb.minAvailable) "") (eq (toString $pdb.maxUnavailable) "") -}}
{{- $problems = append $problems "podDisruptionBudget: set maxUnavailable or minAvailable" -}}
{{- end -}}

{{- if $v.vllmPodMonitor.enabled -}}
{{- $sel := $v.vllmPodMonitor.selector -}}
{{- if not (or $sel.matchLabels $sel.matchExpressions) -}}
{{- $problems = append $problems "vllmPodMonitor.selector is empty: it would scrape every pod; select the vLLM pods" -}}
{{- end -}}
{{- end -}}

{{- if $problems -}}
{{- fail (printf "\n\nvllm-canary: invalid values:\n  - %s\n" (join "\n  - " $problems)) -}}
{{- end -}}
{{- end -}}
