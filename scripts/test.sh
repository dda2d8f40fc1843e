#!/usr/bin/env bash
# The test command: installs what is missing (scripts/setup.sh), builds the solution with warnings
# as errors, and runs every test project. Exits non-zero on any failure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
dotnet build DataPipeline.sln -c Release -nologo -v quiet -clp:ErrorsOnly -warnaserror
status=0
passed=0; failed=0; skipped=0
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  echo "=== $name"
  log=$(mktemp)
  if dotnet test "$project" -c Release --no-build -nologo -v quiet 2>&1 | tee "$log"; then :; else status=1; fi
  line=$(grep -E '(Passed|Failed)!' "$log" | tail -1 || true)
  p=$(sed -nE 's/.*Passed: +([0-9]+).*/\1/p' <<<"$line"); f=$(sed -nE 's/.*Failed: +([0-9]+).*/\1/p' <<<"$line"); s=$(sed -nE 's/.*Skipped: +([0-9]+).*/\1/p' <<<"$line")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${s:-0}))
  if [ -z "$line" ]; then echo "no test summary from $name" >&2; status=1; fi
  rm -f "$log"
done
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
