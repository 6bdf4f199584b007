#!/usr/bin/env bash
# Benchmark of castle generate: the in-memory pipeline in a warm JVM (GenerateBenchmark), then the
# wall time of the command line (cold JVM, writing to a fresh folder) for each example.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mvn -B -q -DskipTests -Dexec.skip package
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
java -cp "target/classes:target/test-classes:$(cat target/classpath.txt)" dev.castle.bench.GenerateBenchmark
for descriptor in examples/*/castle.yaml; do
  out=$(mktemp -d)
  start=$(date +%s%N)
  java -jar target/castle.jar generate "$descriptor" -o "$out" >/dev/null
  end=$(date +%s%N)
  printf '%-40s cold CLI run: %d ms\n' "$descriptor" $(( (end - start) / 1000000 ))
  rm -rf "$out"
done
