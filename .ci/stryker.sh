#!/usr/bin/env bash
# Mutation testing of LayerFunctional.Core (Stryker.NET), one group of files per run, under a time cap.
#
#   .ci/stryker.sh [OUT]       OUT: where Stryker writes (default: a new temporary folder); the log is OUT.log
#   .ci/stryker.sh --list      the groups, their files, and the group this commit runs (checks them; no Stryker)
#   STRYKER_GROUP=<name>|all   which group (default: the rotation below); `all` = every file of stryker-config.json
#   STRYKER_BUDGET_S=2700      the cap in seconds (default 2700 for a group, none for `all`; 0 = no cap);
#                              a run stopped at the cap FAILS (exit 3)
#   STRYKER_ARGS="..."         extra arguments for dotnet stryker (e.g. "--verbosity debug")
#   LAYERFN_PROPERTY_CASES=10  FsCheck cases per property under Stryker (the normal test run uses 1,000)
#
# The whole mutate set (~1,500 tested mutants) does not finish inside CI's cap on 2 cores, so each CI run mutates one
# group, chosen by `git rev-list --count HEAD` modulo the number of groups: any N consecutive commits (N groups) cover
# every file. In a shallow clone the count is meaningless, so the commit hash picks the group instead. Each group runs only
# the tests of its own code (below); measured times are in the README, "Mutation testing". Every file that
# stryker-config.json's "mutate" list matches must be in exactly one group (checked below, before Stryker starts).
#
# Prints one line per mutated file, "stryker: <file> <score>% (<killed>/<counted>)", then the group's score.
# Score as Stryker counts it: (killed + timeout) / (killed + timeout + survived + no coverage).
# Exit: 0 at or above thresholds.break; 1 under it, or Stryker failed; 2 usage or setup error; 3 stopped at the cap.
set -uo pipefail
set -f   # the groups' globs are for Stryker (and files_of), not for this shell
cd "$(dirname "$0")/.."
core=src/LayerFunctional.Core

# Globs as Stryker takes them (relative to the project). `order` is the rotation order.
declare -A groups=(
  [loader]="**/Graph/LayerStoreLoad.cs **/Graph/LayerGraph.cs"
  [parsers]="**/Parsing/*.cs **/Snapshot/LayerFolderRead.cs **/Snapshot/MountFolderRead.cs **/Snapshot/SharedIds.cs **/Snapshot/ChainMap.cs **/Snapshot/SortedEntries.cs **/Snapshot/LayerDbSnapshot.cs **/Snapshot/RootSnapshot.cs **/Identifiers/DriverIDs.cs"
  [layerdb-checks]="**/Diagnostics/RootChecks.cs **/Diagnostics/ListingChecks.cs **/Diagnostics/DepthChecks.cs **/Diagnostics/TarSplitChecks.cs **/Diagnostics/RemovableFolders.cs **/Diagnostics/CascadeCosts.cs **/Diagnostics/LayerDbUse.cs **/Diagnostics/RootCauses.cs"
  [driver-checks]="**/Diagnostics/DriverFolderChecks.cs **/Diagnostics/LostOwners.cs **/Diagnostics/OverlayLinkChecks.cs **/Diagnostics/ImageChecks.cs **/Diagnostics/ImageConfigJson.cs **/Diagnostics/Repairs.cs"
  [validators]="**/Diagnostics/TarSplitValidator.cs **/Diagnostics/OversizedFiles.cs **/Matching.cs"
  [identifiers]="**/Identifiers/ChainID.cs **/Identifiers/Digest.cs **/Identifiers/DriverName.cs **/Identifiers/MountName.cs"
  [containers]="**/Diagnostics/ContainerRestore.cs **/Go/GoContainerJson.cs **/Diagnostics/RepositoriesJson.cs"
  [decoders]="**/Go/GoDescriptorJson.cs **/Go/GoJsonString.cs **/Go/GoText.cs **/Drivers/DriverSelection.cs **/Drivers/ImageStoreChoice.cs **/Drivers/MigrationForecast.cs **/Containerd/*.cs **/Report/ImageStores.cs"
  [explain]="**/Report/Explain.cs **/Report/RepairPlan.cs"
)
# The tests each group runs: test namespaces under LayerFunctional.Tests (the test project mirrors the code), and
# "properties" for all the FsCheck properties, "properties.<Class>" for one class of them. A mutant is tested by the
# tests of the code it is in, not by every test that happens to reach it: Digest and ChainID are on every path, and the
# whole suite for each of their mutants did not finish inside the cap (measured: 277 mutants stopped at 2,700 s on 2
# cores). The loader runs only the load properties: with every property (roots written to disk, content hashed, cases
# replayed) its 148 mutants took ~17 s each and were stopped at the cap on a clean clone of 144d95e. Slow tests
# (Category=Slow) never run here.
declare -A tests=(
  [loader]="Core.Graph properties.LoadProperties properties.OracleProperties"
  [parsers]="Core.Parsing Core.Snapshot Core.Identifiers"
  [layerdb-checks]="Core.Diagnostics"
  [driver-checks]="Core.Diagnostics"
  [validators]="Core.Diagnostics Core.Content Core.Snapshot Core.MatchingTests Edge"
  [identifiers]="Core.Identifiers Core.Parsing"
  [containers]="Core.Diagnostics Core.Go"
  [decoders]="Core.Go Core.Drivers Core.Containerd Core.Report.ImageStoresTests"
  [explain]="Core.Report"
)
order=(loader parsers layerdb-checks driver-checks validators identifiers containers decoders explain)

fail() { local rc=$1; shift; echo "stryker: $*" >&2; exit "$rc"; }
command -v jq > /dev/null || fail 2 "jq is needed to read stryker-config.json and the JSON report (apt-get install jq)"
command -v timeout > /dev/null || fail 2 "timeout (coreutils) is needed for the cap"

# Files a list of globs matches, one per line, sorted (bash globstar, from the project folder, like Stryker's **).
files_of() (
  cd "$core" && set +f && shopt -s globstar nullglob && for glob in "$@"; do
    for f in $glob; do case $f in bin/*|obj/*) ;; *) echo "$f" ;; esac; done
  done | sort -u
)
mapfile -t config_globs < <(jq -r '."stryker-config".mutate[]' stryker-config.json) || fail 2 "cannot read stryker-config.json"
config_files=$(files_of "${config_globs[@]}")
[ -n "$config_files" ] || fail 2 "stryker-config.json's mutate list matches no file under $core"
grouped=$(for g in "${order[@]}"; do files_of ${groups[$g]}; done | sort)
dups=$(uniq -d <<< "$grouped")
[ -z "$dups" ] || fail 2 "in more than one group of .ci/stryker.sh: $(echo $dups)"
if [ "$config_files" != "$(uniq <<< "$grouped")" ]; then
  diff <(echo "$config_files") <(uniq <<< "$grouped") | sed -n 's/^< /  only in stryker-config.json: /p; s/^> /  only in a group: /p' >&2
  fail 2 "the groups of .ci/stryker.sh must hold exactly the files of stryker-config.json's mutate list (add new files to a group)"
fi

group=${STRYKER_GROUP:-}
if [ -z "$group" ]; then
  if [ "$(git rev-parse --is-shallow-repository 2>/dev/null)" = true ]; then
    key=$(( 0x$(git rev-parse --short=7 HEAD) )); how="shallow clone: commit hash $(git rev-parse --short=7 HEAD)"
  else
    key=$(git rev-parse HEAD > /dev/null 2>&1 && git rev-list --count HEAD) || fail 2 "not a git checkout: set STRYKER_GROUP (${order[*]} or all)"
    how="commit count $key"
  fi
  group=${order[$(( key % ${#order[@]} ))]}
  how="$how mod ${#order[@]}"
else
  how="STRYKER_GROUP"
fi
if [ "${1:-}" = --list ]; then
  for g in "${order[@]}"; do echo "$g: $(echo $(files_of ${groups[$g]}))"; done
  echo "this run: $group ($how)"
  exit 0
fi
args=()
if [ "$group" = all ]; then
  budget=${STRYKER_BUDGET_S:-0}
  files=$config_files
else
  [ -n "${groups[$group]:-}" ] || fail 2 "unknown group '$group' (${order[*]} or all)"
  budget=${STRYKER_BUDGET_S:-2700}
  for glob in ${groups[$group]}; do args+=(--mutate "$glob"); done
  filter=""
  args+=(--test-project ../../tests/LayerFunctional.Tests/LayerFunctional.Tests.csproj)
  properties=""
  for t in ${tests[$group]}; do
    if [ "$t" = properties ] || [[ $t == properties.* ]]; then
      [ -n "$properties" ] || args+=(--test-project ../../properties/LayerFunctional.Properties/LayerFunctional.Properties.csproj)
      properties=1
      class=${t#properties}; class=${class#.}
      filter="$filter|FullyQualifiedName~LayerFunctional.Properties.$class"
    else
      filter="$filter|FullyQualifiedName~LayerFunctional.Tests.$t"
    fi
  done
  args+=(--test-case-filter "(${filter#|})&Category!=Slow")
  files=$(files_of ${groups[$group]})
fi
[[ $budget =~ ^[0-9]+$ ]] || fail 2 "STRYKER_BUDGET_S must be a whole number of seconds, not '$budget'"
echo "stryker: group $group ($how): $(echo $files); tests: ${tests[$group]:-all}; cap $([ "$budget" = 0 ] && echo none || echo "${budget}s")"

OUT=${1:-$(mktemp -d)}
mkdir -p "$OUT" || fail 2 "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)   # absolute: Stryker runs from the project folder
log="$OUT.log"
start=$(date +%s)
# timeout puts Stryker, vstest and the test hosts in a process group of their own and kills that group at the cap
# (0 = no cap). Stopping this script (TERM, INT, HUP: e.g. an outer CI timeout) is passed on the same way, so no test
# host outlives it.
# shellcheck disable=SC2086  # STRYKER_ARGS is split on purpose
# Run from the core's project folder with stryker-config.json's test-projects (the unit tests and the properties): in
# solution mode Stryker would also start the F# and daemon test hosts for every mutant, which kill nothing here.
(cd "$core" && LAYERFN_DAEMON=0 LAYERFN_PROPERTY_CASES=${LAYERFN_PROPERTY_CASES:-10} exec timeout --kill-after=30 "$budget" \
  dotnet stryker --skip-version-check --config-file ../../stryker-config.json --output "$OUT" "${args[@]}" ${STRYKER_ARGS:-}) > "$log" 2>&1 &
tpid=$!
trap 'kill -TERM "$tpid" 2> /dev/null; wait "$tpid"; fail 130 "stopped from outside after $(( $(date +%s) - start ))s; log: $log"' TERM INT HUP
wait "$tpid"; rc=$?
trap - TERM INT HUP
took=$(( $(date +%s) - start ))
if [ "$budget" != 0 ] && { [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ] || { [ "$rc" -ne 0 ] && [ "$took" -ge "$budget" ]; }; }; then
  tail -5 "$log"
  fail 3 "group $group was stopped at the ${budget}s cap after ${took}s: no score, so this run FAILS. Make the group smaller (.ci/stryker.sh) or its tests faster; log: $log"
fi
report="$OUT/reports/mutation-report.json"
if [ ! -s "$report" ]; then
  tail -40 "$log"
  fail 1 "Stryker failed (exit $rc) after ${took}s and wrote no report ($report); log: $log"
fi
counted='["Killed","Timeout","Survived","NoCoverage"]'
jq -r --argjson counted "$counted" --arg group "$group" '
  def score($k; $n): if $n == 0 then "n/a" else "\((10000 * $k / $n | round) / 100)%" end;
  def tally: [.[] | select(.status as $s | $counted | index($s))] as $c
    | [($c | map(select(.status == "Killed" or .status == "Timeout")) | length), ($c | length)];
  (.files | to_entries | map(select(.value.mutants | length > 0)) | sort_by(.key)[]
    | (.value.mutants | tally) as [$k, $n]
    | select($n > 0)
    | "stryker: \(.key | sub(".*/LayerFunctional.Core/"; "")) \(score($k; $n)) (\($k)/\($n))"),
  ([.files[].mutants[]] | tally as [$k, $n] | "stryker: group \($group) score \(score($k; $n)) (\($k)/\($n)), \(length) mutants in all")
' "$report" || fail 2 "cannot read $report with jq"
pct=$(( 100 * took / (budget > 0 ? budget : 1) ))
echo "stryker: group $group took ${took}s$([ "$budget" = 0 ] || echo " of the ${budget}s cap (${pct}%)")"
[ "$budget" = 0 ] || [ "$pct" -lt 67 ] || echo "stryker: warning: group $group used ${pct}% of the cap (1.5x would not fit); split it before it fails" >&2
if [ "$rc" -ne 0 ]; then
  grep -E 'final mutation score|threshold' "$log" | tail -3
  fail 1 "group $group: the score is under thresholds.break ($(jq '."stryker-config".thresholds.break' stryker-config.json)%) or Stryker failed (exit $rc); log: $log"
fi
echo "stryker: group $group at or above thresholds.break"
