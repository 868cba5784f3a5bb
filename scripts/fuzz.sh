#!/usr/bin/env bash
# Fuzzes every Jazzer @FuzzTest target for real, one target per JVM (Jazzer fuzzes one per run), and
# prints each target's executions, exec/s and crashes, then the totals.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]      (default 60 s; TARGET e.g. parseYaml, as listed below)
#
# Plain `mvn test` only replays the committed seeds (src/test/resources/.../<Class>Inputs/<method>/).
# Here each target starts from those, plus every matching file of samples/ and of ../shared/corpus
# (skipped when missing), copied into the git-ignored .fuzz/seeds/<target>/; what the fuzzer finds new
# is kept in .fuzz/corpus/<target>/ for the next run. A crash stops that target and Jazzer writes the
# input as crash-<sha1> into the target's Inputs folder under src/test/resources: fix the bug and
# commit the file, and from then on `mvn test` replays it. Logs: .fuzz/logs/<target>.log.
#
# Needs the modules installed once: mvn -B install -DskipTests -pl rules,language-server
# MAVEN_ARGS (default "-o -B") goes to every mvn call; CORPUS names another folder of real configs;
# INSTRUMENT (default dev.carbonlens.**) sets which classes Jazzer instruments for coverage (colon-separated
# globs). Adding org.yaml.snakeyaml.** guides the fuzzer inside SnakeYAML but runs parseYaml ~3x slower.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-60}"
shift $(( $# > 0 ? 1 : 0 ))
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "usage: $0 [SECONDS_PER_TARGET] [TARGET...]" >&2; exit 2; }
work="$here/.fuzz"
corpus_src="${CORPUS:-$here/../shared/corpus}"
instrument="${INSTRUMENT:-dev.carbonlens.**}"
read -r -a maven_args <<< "${MAVEN_ARGS:--o -B}"

# target name | test class#method | seed files (globs below samples/ and the corpus)
targets=(
  "parseYaml|dev.carbonlens.fuzz.DocumentParserFuzzTest#parseYaml|*.yaml *.yml"
  "parseJson|dev.carbonlens.fuzz.DocumentParserFuzzTest#parseJson|*.json"
  "extractEachFormat|dev.carbonlens.fuzz.ExtractorsFuzzTest#extractEachFormat|*.yaml *.yml *.json"
  "analysePython|dev.carbonlens.fuzz.SourceAnalysersFuzzTest#analysePython|*.py"
  "analyseJava|dev.carbonlens.fuzz.SourceAnalysersFuzzTest#analyseJava|*.java"
  "clientSettings|dev.carbonlens.lsp.ClientSettingsFuzzTest#clientSettings|*.json"
  "projectConfig|dev.carbonlens.fuzz.ProjectConfigFuzzTest#projectConfig|.carbonlens.yaml *policy*.yaml"
  "teamPolicies|dev.carbonlens.fuzz.ProjectConfigFuzzTest#teamPolicies|*policy*.yaml .carbonlens.yaml"
  "analyzeConfig|dev.carbonlens.fuzz.AnalyzerFuzzTest#analyzeConfig|*.yaml *.yml *.json"
)

# Copies the seed files of one target into a fresh folder, one flat file per source (names made unique).
collect_seeds() {
  local dest="$1" patterns="$2" root pattern
  rm -rf "$dest" && mkdir -p "$dest"
  for root in "$here/samples" "$corpus_src"; do
    [ -d "$root" ] || continue
    for pattern in $patterns; do
      find "$root" -type f -name "$pattern" -size -256k -print0 | while IFS= read -r -d '' f; do
        cp "$f" "$dest/$(printf '%s' "${f#"$root"/}" | tr '/' '_')"
      done
    done
  done
}

# The number after a libFuzzer stat line, or 0.
stat() { grep -a "^stat::$1:" "$2" | tail -1 | awk '{print $2}' || true; }

selected() {
  local name="$1"
  shift
  [ $# -eq 0 ] && return 0
  local t
  for t in "$@"; do [ "$t" = "$name" ] && return 0; done
  return 1
}

mkdir -p "$work/logs" "$work/reproducers"
total_execs=0
total_crashes=0
printf '%-18s %8s %12s %8s %8s\n' target seconds executions exec/s crashes
for entry in "${targets[@]}"; do
  IFS='|' read -r name test patterns <<< "$entry"
  selected "$name" "$@" || continue
  collect_seeds "$work/seeds/$name" "$patterns"
  mkdir -p "$work/corpus/$name"
  log="$work/logs/$name.log"
  # libFuzzer's arguments reach Jazzer's JUnit runner as jazzer.internal.arg.N; the first is argv[0].
  # The first corpus folder is where libFuzzer writes what it finds; the next ones only seed it.
  # -timeout: one input running this long is a hang, reported as a finding. jazzer.hooks: coverage
  # instrumentation, off for plain `mvn test` (src/test/resources/junit-platform.properties).
  status=0
  JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${seconds}s" JAZZER_INSTRUMENTATION_INCLUDES="$instrument" \
    JAZZER_REPRODUCER_PATH="$work/reproducers" \
    mvn "${maven_args[@]}" -f "$here/pom.xml" test -pl language-server \
      -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false -Djazzer.hooks=true \
      -Djazzer.internal.arg.0=fuzz \
      -Djazzer.internal.arg.1="$work/corpus/$name" \
      -Djazzer.internal.arg.2="$work/seeds/$name" \
      -Djazzer.internal.arg.3=-print_final_stats=1 \
      -Djazzer.internal.arg.4=-timeout=60 \
      > "$log" 2>&1 || status=$?
  execs="$(stat number_of_executed_units "$log")"
  rate="$(stat average_exec_per_sec "$log")"
  # In JUnit mode a finding ends the run: libFuzzer writes the input (crash-, timeout-, oom-) and says where.
  # (slow-unit- files are inputs that merely took over 10 s, e.g. during a GC pause: not counted.)
  crashes="$(grep -a 'Test unit written to' "$log" | grep -ac '/\(crash\|timeout\|oom\|leak\)-' || true)"
  if [ -z "$execs" ]; then
    execs=0
    if [ "$status" -ne 0 ] && [ "${crashes:-0}" -eq 0 ]; then
      echo "$name: the run failed before fuzzing (see $log)" >&2
      crashes=1
    fi
  fi
  printf '%-18s %8s %12s %8s %8s\n' "$name" "$seconds" "$execs" "${rate:-0}" "${crashes:-0}"
  # Slow inputs land beside the seeds too: move them out, or mvn test would replay them as seeds.
  grep -a 'Test unit written to .*slow-unit-' "$log" | sed 's/.*Test unit written to //' | while read -r f; do
    [ -f "$f" ] && mkdir -p "$work/slow" && mv "$f" "$work/slow/" \
      && echo "    slow input (not a crash), moved to .fuzz/slow/$(basename "$f")"
  done || true
  if [ "${crashes:-0}" -gt 0 ]; then
    grep -a 'Test unit written to' "$log" | grep -av 'slow-unit-' | sed 's/.*Test unit written to /    input: /' || true
    grep -a -m1 -A12 'FuzzTestFindingException' "$log" | grep -a 'Exception\|Error\|at dev\.carbonlens' | head -6 \
      | sed 's/^/    /' || true
  fi
  total_execs=$((total_execs + execs))
  total_crashes=$((total_crashes + ${crashes:-0}))
done
printf '%-18s %8s %12s %8s %8s\n' total "" "$total_execs" "" "$total_crashes"
[ "$total_crashes" -eq 0 ]
