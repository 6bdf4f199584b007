#!/usr/bin/env bash
# Benchmark of castle as users run it: whole processes through the default launcher (./castle), each
# figure a median of ROUNDS runs and each target a ratio of two figures measured side by side in one
# run (the commands of a round run one after the other, rounds repeat), so that the ratios hold on a
# busy machine. Reports every figure of issue 14's "Done when":
#   - validate of examples/shop, generate --no-kustomize and full generate of the shop, against
#     `castle --version` (the JVM's floor);
#   - the same, and the synthetic systems, through `castle daemon` (a resident castle started in the
#     benchmark's folder, so no JVM starts per command), against the same `castle --version` run
#     without it, and a full generate of the shop after a change (a render kept from the previous
#     round answers none of its renders); the daemon rows' CPU and peak memory are the launcher's
#     alone (bash), the daemon's own are not counted;
#   - for the synthetic systems of 100 and 1,000 services (dev.castle.bench.SyntheticSystem): validate,
#     generate --no-kustomize and full generate, a regenerate --no-kustomize into the same output
#     after a change to one service (what runs on every save), the 1,000 against `helm template` (Helm 4) of the
#     generated chart and against the 100, and the peak memory (resident set, /usr/bin/time %M);
#     `cp -r` of the generated chart shows what creating its files costs the file system alone.
# Each generate but the regenerates writes to a fresh folder of its own, and nothing is deleted until
# the benchmark ends (the regenerates, which delete their old files, are followed by a pause):
# on a file system where ext4 runs without a journal (this machine's), creating a file skips, one by
# one, every inode freed in the last 30 seconds (ext4's recently_deleted), so that deleting the
# previous run's 12,000 files made the next run's file creation cost up to a millisecond each (seen
# with perf: 40% of cp -r in recently_deleted). Wall time, CPU time (user + system) and peak memory of
# every run are kept in the raw file printed at the end.
#
# Environment:
#   ROUNDS=N            runs per command (default 5; the median is reported)
#   SIZES="100 1000"    synthetic sizes (default "100 1000"; ratios need both)
#   BASELINE_JAR=FILE   also runs every castle command as `java -jar FILE` in the same rounds
#                       (another build of castle, for a before/after table measured in one run)
#   BASELINE_SHOP=FILE  the shop descriptor the baseline runs (default examples/shop/castle.yaml;
#                       an older build needs the example of its own time)
#   WARM=1              also runs GenerateBenchmark: the in-memory pipeline per example in a warm JVM
#   DAEMON=0            leaves out the rows through castle daemon
# Usage: scripts/benchmark.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROUNDS=${ROUNDS:-5}
read -r -a SIZES <<< "${SIZES:-100 1000}"
HELM=.tools/v35/helm
[[ -x "$HELM" ]] || bash scripts/fetch-tools.sh >/dev/null
[[ -x /usr/bin/time ]] || { echo "benchmark.sh needs GNU time (/usr/bin/time; Debian package time)" >&2; exit 2; }

export CASTLE_DAEMON=off        # the castle rows run castle's own JVM, whatever daemon serves this folder
./castle --version >/dev/null   # builds the jar (and what the launcher keeps beside it) when needed
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [[ "${DAEMON:-1}" == 1 ]]; then
  # The rows through the daemon run from its folder, $work, by a launcher of their own.
  mkdir -p "$work/daemon"
  cp -r examples/shop "$work/daemon/shop"
  cp -r examples/shop "$work/daemon/shop-changed"
  printf '#!/usr/bin/env bash\ncd %q && exec env -u CASTLE_DAEMON %q "$@"\n' "$work/daemon" "$PWD/castle" > "$work/castle-daemon"
  chmod +x "$work/castle-daemon"
  "$work/castle-daemon" daemon start >&2
  trap '"$work/castle-daemon" daemon stop >&2; rm -rf "$work"' EXIT
fi
mkdir -p "$work/classes"
javac -d "$work/classes" src/test/java/dev/castle/bench/SyntheticSystem.java
for n in "${SIZES[@]}"; do
  java -cp "$work/classes" dev.castle.bench.SyntheticSystem "$n" "$work/synthetic-$n.yaml"
done
if [[ "${WARM:-0}" == 1 ]]; then
  mvn -B -q -Dexec.skip test-compile
  mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
  java -cp "target/classes:target/test-classes:$(cat target/classpath.txt)" dev.castle.bench.GenerateBenchmark
fi

# The charts helm template renders: castle's own output of each descriptor.
./castle generate examples/shop/castle.yaml -o "$work/ref-shop" --no-kustomize >/dev/null
for n in "${SIZES[@]}"; do
  ./castle generate "$work/synthetic-$n.yaml" -o "$work/ref-$n" --no-kustomize >/dev/null
done

raw="$work/raw.tsv"
# run LABEL COMMAND...: one timed run, appended to the raw file as label, wall s, CPU s, peak KiB;
# @OUT@ in the command stands for a fresh output folder.
runs=0
run() {
  local label=$1
  shift
  runs=$((runs + 1))
  local args=("${@//@OUT@/$work/out-$runs}")
  if ! /usr/bin/time -o "$work/time" -f '%e %U %S %M' "${args[@]}" >/dev/null 2>"$work/stderr"; then
    echo "benchmark: '$*' failed:" >&2
    cat "$work/stderr" >&2
    exit 1
  fi
  read -r wall user sys rss < <(tail -n 1 "$work/time")
  printf '%s\t%s\t%s\t%s\n' "$label" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')" "$rss" >> "$raw"
}
# castle_runs PREFIX SHOP LAUNCHER...: every castle command of a round through one launcher.
castle_runs() {
  local p=$1 shop=$2
  shift 2
  run "${p}version" "$@" --version
  run "${p}validate-shop" "$@" validate "$shop"
  run "${p}generate-shop-no-kustomize" "$@" generate "$shop" -o @OUT@ --no-kustomize
  run "${p}generate-shop" "$@" generate "$shop" -o @OUT@
  for n in "${SIZES[@]}"; do
    run "${p}validate-$n" "$@" validate "$work/synthetic-$n.yaml"
    run "${p}generate-$n-no-kustomize" "$@" generate "$work/synthetic-$n.yaml" -o @OUT@ --no-kustomize
    run "${p}generate-$n" "$@" generate "$work/synthetic-$n.yaml" -o @OUT@
  done
}
# regenerate_runs PREFIX LAUNCHER...: on save, a regenerate into the same output folder after a change
# to one service. It deletes the old files, so the next runs wait until ext4 no longer skips their inodes.
regenerate_runs() {
  local p=$1
  shift
  for n in "${SIZES[@]}"; do
    local regen="$work/regen-${p%:}$n"
    sed -i "0,/WORKERS: \"[0-9]*\"/s//WORKERS: \"$((round + 100))\"/" "$regen.yaml"
    run "${p}regenerate-$n-no-kustomize" "$@" generate "$regen.yaml" -o "$regen" --no-kustomize
  done
  sleep 31
}
# The outputs the regenerate rows write into, made once per launcher (not timed).
for n in "${SIZES[@]}"; do
  cp "$work/synthetic-$n.yaml" "$work/regen-$n.yaml"
  ./castle generate "$work/regen-$n.yaml" -o "$work/regen-$n" --no-kustomize >/dev/null
  if [[ "${DAEMON:-1}" == 1 ]]; then
    cp "$work/synthetic-$n.yaml" "$work/regen-daemon$n.yaml"
    ./castle generate "$work/regen-daemon$n.yaml" -o "$work/regen-daemon$n" --no-kustomize >/dev/null
  fi
  if [[ -n "${BASELINE_JAR:-}" ]]; then
    cp "$work/synthetic-$n.yaml" "$work/regen-baseline$n.yaml"
    java -jar "$BASELINE_JAR" generate "$work/regen-baseline$n.yaml" -o "$work/regen-baseline$n" --no-kustomize >/dev/null
  fi
done
for ((round = 1; round <= ROUNDS; round++)); do
  echo "round $round of $ROUNDS" >&2
  castle_runs "" examples/shop/castle.yaml ./castle
  [[ -n "${BASELINE_JAR:-}" ]] && castle_runs "baseline:" "${BASELINE_SHOP:-examples/shop/castle.yaml}" java -jar "$BASELINE_JAR"
  if [[ "${DAEMON:-1}" == 1 ]]; then
    castle_runs "daemon:" "$work/daemon/shop/castle.yaml" "$work/castle-daemon"
    sed -i "0,/LOG_LEVEL: [a-z0-9-]*/s//LOG_LEVEL: debug-$round/" "$work/daemon/shop-changed/castle.yaml"
    run "daemon:generate-shop-changed" "$work/castle-daemon" generate "$work/daemon/shop-changed/castle.yaml" -o @OUT@
  fi
  run helm-template-shop "$HELM" template shop "$work/ref-shop/shop"
  for n in "${SIZES[@]}"; do
    run "helm-template-$n" "$HELM" template synthetic "$work/ref-$n/synthetic"
    # The file system's floor: copying the chart castle writes (no castle, no JVM) into a fresh folder.
    run "cp-chart-$n" cp -r "$work/ref-$n" @OUT@
  done
  regenerate_runs "" ./castle
  if [[ -n "${BASELINE_JAR:-}" ]]; then
    regenerate_runs "baseline:" java -jar "$BASELINE_JAR"
  fi
  if [[ "${DAEMON:-1}" == 1 ]]; then
    regenerate_runs "daemon:" "$work/castle-daemon"
  fi
done

# Medians (and the largest peak memory) per label.
awk -F'\t' '
  { wall[$1] = wall[$1] " " $2; cpu[$1] = cpu[$1] " " $3; if ($4 > rss[$1]) rss[$1] = $4; if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } }
  function median(list,   a, k, i, j, t) {
    k = split(substr(list, 2), a, " ")
    for (i = 2; i <= k; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
  }
  END { for (i = 1; i <= n; i++) printf "%s\t%.2f\t%.2f\t%d\n", order[i], median(wall[order[i]]), median(cpu[order[i]]), rss[order[i]] }
' "$raw" > "$work/medians.tsv"
if [[ "${DAEMON:-1}" == 1 ]]; then
  # The daemon's own peak resident set over all its commands (its rows count the launcher alone).
  pid=$("$work/castle-daemon" daemon status | sed -n 's/.*(pid \([0-9]*\)).*/\1/p')
  printf 'daemon:resident\t0\t0\t%s\n' "$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status")" >> "$work/medians.tsv"
fi

echo
echo "Medians of $ROUNDS runs (wall and CPU seconds; peak memory: the largest of the runs)"
printf '%-42s %8s %8s %10s\n' command wall_s cpu_s peak_MiB
while IFS=$'\t' read -r label wall cpu rss; do
  printf '%-42s %8s %8s %10d\n' "$label" "$wall" "$cpu" $((rss / 1024))
done < "$work/medians.tsv"

# report PREFIX [FLOOR]: the "Done when" rows of issue 14 for one launcher, against the castle --version
# of FLOOR's prefix (default its own).
report() {
  local p=$1 floor=${2-$1}
  echo
  echo "Targets of issue 14${p:+ for ${p%:}} (ratios of medians measured in the same rounds${2+; against castle --version without the daemon}):"
  awk -F'\t' -v p="$p" -v floor="$floor" -v big="${SIZES[${#SIZES[@]} - 1]}" -v small="${SIZES[0]}" '
    { wall[$1] = $2; rss[$1] = $4 }
    function row(what, value, limit, unit, ok) {
      printf "  %-58s %9.2f%-4s target %s%s  %s\n", what, value, unit, ok ? "<= " : "<= ", limit unit, (value <= limit ? "met" : "NOT met")
    }
    function ratio(a, b) { return wall[b] > 0 ? wall[a] / wall[b] : 0 }
    END {
      v = floor "version"
      printf "  %-58s %9.2f s\n", "castle --version" (floor != p ? " (the floor)" : ""), wall[v]
      if (floor != p) printf "  %-58s %9.2f s\n", "castle --version through " p, wall[p "version"]
      row("validate shop / castle --version", ratio(p "validate-shop", v), 1.5, "x")
      row("generate --no-kustomize shop / castle --version", ratio(p "generate-shop-no-kustomize", v), 2, "x")
      row("generate shop / castle --version", ratio(p "generate-shop", v), 4, "x")
      if ((p "generate-shop-changed") in wall) row("generate shop after a change / castle --version", ratio(p "generate-shop-changed", v), 4, "x")
      printf "  %-58s %9.2f x    (the issue measured 26x)\n", "generate shop / helm template of its chart", ratio(p "generate-shop", "helm-template-shop")
      if (("helm-template-" big) in wall) {
        row("generate " big " / helm template (Helm 4) of its chart", ratio(p "generate-" big, "helm-template-" big), 1.5, "x")
        row("generate --no-kustomize " big, wall[p "generate-" big "-no-kustomize"], 5, " s")
        if ((p "resident") in rss) row("peak memory of the daemon, all its commands (MiB)", rss[p "resident"] / 1024, 1024, "")
        else row("peak memory of generate " big " (MiB)", rss[p "generate-" big] / 1024, 1024, "")
        if (small != big) {
          row("generate " big " / generate " small, ratio(p "generate-" big, p "generate-" small), 11, "x")
          row("generate --no-kustomize " big " / " small, ratio(p "generate-" big "-no-kustomize", p "generate-" small "-no-kustomize"), 11, "x")
        }
        printf "  %-58s %9.2f s\n", "regenerate --no-kustomize " big " after a one-service change", wall[p "regenerate-" big "-no-kustomize"]
        printf "  %-58s %9.2f s    (cp -r of the chart: the file system alone)\n", "cp -r of the " big "-service chart", wall["cp-chart-" big]
        printf "  %-58s %9.2f x\n", "generate --no-kustomize " big " / cp -r of its chart", ratio(p "generate-" big "-no-kustomize", "cp-chart-" big)
      }
    }' "$work/medians.tsv"
}
report ""
[[ -n "${BASELINE_JAR:-}" ]] && report "baseline:"
[[ "${DAEMON:-1}" == 1 ]] && report "daemon:" ""
mkdir -p target
cp "$raw" target/benchmark-raw.tsv
echo
echo "every run: target/benchmark-raw.tsv (label, wall s, CPU s, peak KiB)"
