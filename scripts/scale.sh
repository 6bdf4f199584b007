#!/usr/bin/env bash
# Size and speed of castle's charts as a system grows: for the synthetic systems of 10, 100 and
# 1,000 services (dev.castle.bench.SyntheticSystem: an image, one http port, three env values and up
# to three dependencies each), the wall time of `castle generate --no-kustomize`, the bytes of the
# generated charts (the sum of their files) and the wall time of `helm template` (Helm 4) of them.
# With BASELINE_JAR=path/to/other/castle.jar, the same figures for that jar, side by side in one run.
# Usage: scripts/scale.sh [N ...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mvn -B -q -DskipTests -Dexec.skip package test-compile >/dev/null
HELM=.tools/v35/helm
[[ -x "$HELM" ]] || bash scripts/fetch-tools.sh >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(10 100 1000)
jars=("target/castle.jar")
[[ -n "${BASELINE_JAR:-}" ]] && jars+=("$BASELINE_JAR")
seconds() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.2f", (e - s) / 1e9 }'; }
printf '%-8s %-40s %12s %14s %14s\n' services jar generate_s chart_bytes helm_template_s
for n in "${sizes[@]}"; do
  java -cp target/test-classes dev.castle.bench.SyntheticSystem "$n" "$work/synthetic-$n.yaml"
  for jar in "${jars[@]}"; do
    out="$work/out-$n-$(basename "$(dirname "$(dirname "$jar")")")"
    rm -rf "$out"
    start=$(date +%s%N); java -jar "$jar" generate "$work/synthetic-$n.yaml" -o "$out" --no-kustomize >/dev/null; end=$(date +%s%N)
    generate=$(seconds "$start" "$end")
    bytes=$(find "$out/synthetic" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
    start=$(date +%s%N); "$HELM" template synthetic "$out/synthetic" >/dev/null; end=$(date +%s%N)
    printf '%-8s %-40s %12s %14s %14s\n' "$n" "$jar" "$generate" "$bytes" "$(seconds "$start" "$end")"
  done
done
