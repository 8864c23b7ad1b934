#!/usr/bin/env bash
# Mutation testing of LayerFunctional.Core (Stryker.NET), one group of files per run, under a time cap.
#
#   .ci/stryker.sh [OUT]     OUT: where Stryker writes (default: a temporary folder)
#   STRYKER_GROUP=loader|checks|decoders|all   which group (default: rotates with the commit count, see below)
#   STRYKER_BUDGET_S=2700    the cap in seconds; a run stopped at the cap FAILS (exit 3)
#
# The whole mutate set (~1,200 mutants) does not finish inside CI's cap on 2 cores, so each CI run mutates one group,
# chosen by `git rev-list --count HEAD` modulo the number of groups: three commits in a row cover every file. The union
# of the groups must equal stryker-config.json's "mutate" list (checked below), which a full local run uses.
# Prints one line per mutated file, "stryker: <file> <score>% (<killed>/<counted>)", then the group's score.
# Exit: 0 at or above thresholds.break; 1 under it or Stryker failed; 3 stopped at the cap; 2 usage or setup error.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-$(mktemp -d)}
budget=${STRYKER_BUDGET_S:-2700}
declare -A groups=(
  [loader]="**/Graph/LayerStoreLoad.cs **/Parsing/*.cs **/Identifiers/*.cs **/Snapshot/LayerFolderRead.cs"
  [checks]="**/Diagnostics/RootChecks.cs **/Diagnostics/OversizedFiles.cs **/Diagnostics/TarSplitValidator.cs"
  [decoders]="**/Go/*.cs **/Diagnostics/ContainerRestore.cs **/Drivers/DriverSelection.cs"
)
order=(loader checks decoders)
command -v jq > /dev/null || { echo "stryker: jq is needed to read the reports (apt-get install jq)" >&2; exit 2; }

# The groups and the config must name the same files.
config=$(jq -r '."stryker-config".mutate[]' stryker-config.json | sort)
grouped=$(for g in "${order[@]}"; do tr ' ' '\n' <<< "${groups[$g]}"; done | sort)
[ "$config" = "$grouped" ] || { echo "stryker: the groups in .ci/stryker.sh and stryker-config.json's mutate list differ:"; diff <(echo "$config") <(echo "$grouped"); exit 2; } >&2

group=${STRYKER_GROUP:-}
if [ -z "$group" ]; then
  count=$(git rev-list --count HEAD 2>/dev/null || echo 0)
  group=${order[$(( count % ${#order[@]} ))]}
fi
args=()
if [ "$group" != all ]; then
  [ -n "${groups[$group]:-}" ] || { echo "stryker: unknown group '$group' (${order[*]} or all)" >&2; exit 2; }
  for glob in ${groups[$group]}; do args+=(--mutate "$glob"); done
fi
echo "stryker: group $group ($([ "$group" = all ] && echo "every file of stryker-config.json" || echo "${groups[$group]}")), cap ${budget}s"

start=$(date +%s)
LAYERFN_DAEMON=0 LAYERFN_PROPERTY_CASES=${LAYERFN_PROPERTY_CASES:-10} timeout --kill-after=30 "$budget" \
  dotnet stryker --skip-version-check --output "$OUT" "${args[@]}" > "$OUT.log" 2>&1
rc=$?
echo "stryker: $(( $(date +%s) - start )) s"
case $rc in
  124|137) tail -5 "$OUT.log"; echo "stryker: group $group stopped at the ${budget}s cap: no score; make the group smaller or the tests faster" >&2; exit 3 ;;
esac
report="$OUT/reports/mutation-report.json"
[ -s "$report" ] || { tail -40 "$OUT.log"; echo "stryker: failed (exit $rc), no report" >&2; exit 1; }
# Stryker's score: (killed + timeout) / (killed + timeout + survived + no coverage); compile errors and ignored do not count.
jq -r '.files | to_entries[] | select([.value.mutants[] | select(.status | IN("Killed","Timeout","Survived","NoCoverage"))] | length > 0)
  | (.value.mutants | map(select(.status | IN("Killed","Timeout"))) | length) as $k
  | (.value.mutants | map(select(.status | IN("Killed","Timeout","Survived","NoCoverage"))) | length) as $n
  | "stryker: \(.key | sub(".*/LayerFunctional.Core/"; "")) \((10000 * $k / $n | floor) / 100)% (\($k)/\($n))"' "$report" | sort
jq -r '[.files[].mutants[]] | (map(select(.status | IN("Killed","Timeout"))) | length) as $k
  | (map(select(.status | IN("Killed","Timeout","Survived","NoCoverage"))) | length) as $n
  | "stryker: group score \(if $n == 0 then 100 else ((10000 * $k / $n | floor) / 100) end)% (\($k)/\($n))"' "$report"
if [ "$rc" -ne 0 ]; then
  grep -E 'final mutation score|threshold' "$OUT.log" | tail -3
  echo "stryker: the score is under thresholds.break, or Stryker failed (exit $rc)" >&2
  exit 1
fi
echo "stryker: at or above the break threshold"
