#!/usr/bin/env bash
# Undoes what scripts/setup-test-env.sh started: removes the containers the tests started (label
# vllm-canary.test=true) and stops the dockerd that the setup script started (by its pid file). A dockerd that the
# setup script did not start is never stopped. Packages and the local image stay, so the next setup is quick.
set -euo pipefail

STATE="${VLLM_CANARY_CI_STATE:-${TMPDIR:-/tmp}/vllm-canary-ci}"
LABEL="vllm-canary.test=true"

log() { printf '==> %s\n' "$*"; }

SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo -n"

if $SUDO docker info >/dev/null 2>&1; then
  ids="$($SUDO docker ps -aq --filter "label=$LABEL")"
  if [ -n "$ids" ]; then
    log "removing test containers: $(echo "$ids" | tr '\n' ' ')"
    # shellcheck disable=SC2086 # one id per word
    $SUDO docker rm -f $ids >/dev/null
  else
    log "no test containers left"
  fi
else
  log "docker does not answer: no containers to remove"
fi

pidfile="$STATE/dockerd.pid"
if [ ! -f "$pidfile" ]; then
  log "no dockerd was started by the setup script: leaving docker alone"
  exit 0
fi
pid="$(cat "$pidfile")"
if [ -n "$pid" ] && $SUDO kill -0 "$pid" 2>/dev/null && grep -q dockerd "/proc/$pid/cmdline" 2>/dev/null; then
  log "stopping dockerd (pid $pid)"
  $SUDO kill -TERM "$pid"
  for _ in $(seq 1 100); do
    $SUDO kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if $SUDO kill -0 "$pid" 2>/dev/null; then
    log "dockerd (pid $pid) still running after 20 s; leaving it"
    exit 1
  fi
  log "dockerd stopped"
else
  log "dockerd from the pid file (pid ${pid:-none}) is not running"
fi
rm -f "$pidfile"
