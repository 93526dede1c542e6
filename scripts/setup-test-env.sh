#!/usr/bin/env bash
# Prepares a machine to run the integration tests, and writes the environment they need to "$STATE/env".
#
# Where a Docker engine is already running and can pull images, there is nothing to do: the tests use the upstream
# Prometheus image. Otherwise (no Docker, or a Docker that cannot pull), it installs Debian's docker.io, prometheus
# and busybox-static, starts dockerd in the background, and builds a local image with the same layout as the upstream
# prom/prometheus image from Debian's binaries. Safe to run again: every step checks first whether it is done.
#
# Settings (environment):
#   VLLM_CANARY_CI_STATE          state folder (pid file, logs, env file); default ${TMPDIR:-/tmp}/vllm-canary-ci
#   VLLM_CANARY_PROMETHEUS_IMAGE  if set, the tests use this image and nothing is built
#   VLLM_CANARY_FORCE_LOCAL=1     build and use the local image even if Docker can pull
set -euo pipefail

STATE="${VLLM_CANARY_CI_STATE:-${TMPDIR:-/tmp}/vllm-canary-ci}"
UPSTREAM_IMAGE="prom/prometheus:v2.53.4"
LOCAL_REPO="vllm-canary-local/prometheus"

log() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || die "not root and no sudo: cannot install packages or start dockerd"
  SUDO="sudo -n"
fi

docker_ready() { $SUDO docker info >/dev/null 2>&1; }

our_dockerd_pid() {
  local pid
  [ -f "$STATE/dockerd.pid" ] || return 1
  pid="$(cat "$STATE/dockerd.pid")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q dockerd "/proc/$pid/cmdline" 2>/dev/null || return 1
  echo "$pid"
}

install_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      log "package $pkg already installed"
    else
      missing+=("$pkg")
    fi
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  log "installing system packages: ${missing[*]} (apt-get update first)"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" </dev/null
}

start_dockerd() {
  if docker_ready; then
    log "dockerd already answers"
    return 0
  fi
  log "starting dockerd in the background (log: $STATE/dockerd.log)"
  $SUDO setsid dockerd </dev/null >"$STATE/dockerd.log" 2>&1 &
  echo $! >"$STATE/dockerd.pid"
  # With sudo, $! is the sudo process; record the real dockerd once it has a pid file of its own.
  local i
  for i in $(seq 1 150); do
    if docker_ready; then
      [ -f /var/run/docker.pid ] && $SUDO cat /var/run/docker.pid >"$STATE/dockerd.pid"
      log "dockerd is ready (pid $(cat "$STATE/dockerd.pid"))"
      return 0
    fi
    sleep 0.2
  done
  tail -n 20 "$STATE/dockerd.log" >&2 || true
  die "dockerd did not answer within 30 s"
}

# Copies a binary and every library it links (as ldd reports them) into the root filesystem folder.
copy_with_libs() {
  local bin="$1" dest="$2" lib
  install -D -m 0755 "$bin" "$ROOTFS$dest"
  # A static binary makes ldd fail ("not a dynamic executable"): nothing to copy then.
  for lib in $(ldd "$bin" 2>/dev/null | grep -oE '/[^ ]+' || true); do
    [ -e "$ROOTFS$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$ROOTFS$lib"
  done
}

build_local_image() {
  local image="$1"
  if $SUDO docker image inspect "$image" >/dev/null 2>&1; then
    log "local image $image already built"
    return 0
  fi
  log "building local image $image from Debian's prometheus (upstream layout, entrypoint /bin/prometheus)"
  ROOTFS="$(mktemp -d "$STATE/rootfs.XXXXXX")"
  copy_with_libs /usr/bin/prometheus /bin/prometheus
  copy_with_libs /usr/bin/promtool /bin/promtool
  copy_with_libs "$(command -v busybox)" /bin/busybox
  ln -s busybox "$ROOTFS/bin/sh"
  mkdir -p "$ROOTFS/etc/prometheus" "$ROOTFS/prometheus" "$ROOTFS/tmp"
  chmod 1777 "$ROOTFS/tmp"
  chmod 0777 "$ROOTFS/prometheus"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n' >"$ROOTFS/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$ROOTFS/etc/group"
  cat >"$ROOTFS/etc/prometheus/prometheus.yml" <<'YAML'
global:
  scrape_interval: 15s
scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: ['localhost:9090']
YAML
  tar -C "$ROOTFS" --numeric-owner --owner=0 --group=0 -c . |
    $SUDO docker import \
      -c 'ENTRYPOINT ["/bin/prometheus"]' \
      -c 'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]' \
      -c 'WORKDIR /prometheus' \
      -c 'EXPOSE 9090' \
      -c 'LABEL org.opencontainers.image.description=prometheus-from-debian-for-vllm-canary-tests' \
      - "$image" >/dev/null
  rm -rf "$ROOTFS"
  $SUDO docker run --rm --entrypoint /bin/prometheus "$image" --version 2>&1 | head -n 1 | sed 's/^/    /'
}

write_env() {
  local image="$1" local_engine="$2"
  {
    echo "# Written by scripts/setup-test-env.sh; sourced by .ci/run."
    echo "export VLLM_CANARY_PROMETHEUS_IMAGE=$image"
    if [ "$local_engine" = yes ]; then
      # No registry here: Ryuk's image cannot be pulled; and the engine is on this machine, not behind a gateway.
      echo "export TESTCONTAINERS_RYUK_DISABLED=true"
      echo "export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1"
    fi
  } >"$STATE/env"
  log "wrote $STATE/env:"
  sed 's/^/    /' "$STATE/env"
}

mkdir -p "$STATE"
log "state folder $STATE"

mode=local
if docker_ready && ! our_dockerd_pid >/dev/null; then
  if [ -n "${VLLM_CANARY_PROMETHEUS_IMAGE:-}" ]; then
    log "docker is running; using VLLM_CANARY_PROMETHEUS_IMAGE=$VLLM_CANARY_PROMETHEUS_IMAGE"
    write_env "$VLLM_CANARY_PROMETHEUS_IMAGE" no
    exit 0
  fi
  if [ "${VLLM_CANARY_FORCE_LOCAL:-}" != 1 ]; then
    log "docker is running; checking that it can get $UPSTREAM_IMAGE"
    if $SUDO docker image inspect "$UPSTREAM_IMAGE" >/dev/null 2>&1 ||
      timeout 120 $SUDO docker pull -q "$UPSTREAM_IMAGE" >/dev/null 2>&1; then
      mode=upstream
    else
      log "cannot pull $UPSTREAM_IMAGE: falling back to a local image"
    fi
  fi
fi

if [ "$mode" = upstream ]; then
  write_env "$UPSTREAM_IMAGE" no
  log "done: the tests use the upstream image"
  exit 0
fi

log "installing system packages"
install_packages docker.io prometheus busybox-static
start_dockerd
version="$(dpkg-query -W -f='${Version}' prometheus | sed -E 's/^([0-9]+:)?([0-9]+\.[0-9]+).*/\2/')"
build_local_image "$LOCAL_REPO:$version"
write_env "$LOCAL_REPO:$version" yes
log "done: the tests use the local image $LOCAL_REPO:$version"
