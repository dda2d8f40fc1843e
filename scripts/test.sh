#!/usr/bin/env bash
# The test command: installs what is missing (scripts/setup.sh), builds the solution with warnings
# as errors, brings up a single-node Slurm cluster for the Slurm executor's tests (scripts/slurm/,
# as root; taken down again on exit, whatever happens), and runs every test project. Exits
# non-zero on any failure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh

# Slurm: the tests submit real sbatch jobs. Only a failure to install Slurm skips them (with the
# reason in DATAPIPE_SLURM_SKIP_REASON, which the skipped tests print); a cluster that is
# installed but does not come up fails the test run.
SLURM_DIR=""
slurm_down() { if [ -n "$SLURM_DIR" ]; then bash "$ROOT/scripts/slurm/down.sh" "$SLURM_DIR" --purge >&2 || true; fi; }
trap slurm_down EXIT
if [ "${DATAPIPE_NO_SLURM:-0}" = 1 ]; then
  export DATAPIPE_SLURM_SKIP_REASON="DATAPIPE_NO_SLURM=1 was set"
elif [ "$(id -u)" != 0 ]; then
  export DATAPIPE_SLURM_SKIP_REASON="scripts/test.sh is not running as root, which starting slurmd needs"
else
  # A short path: slurmstepd's socket under it must stay within 108 bytes. 4 CPUs on the node
  # (oversubscribed on 2 cores) lets a stage's small tasks start together: they mostly wait on I/O and start-up.
  SLURM_DIR=$(mktemp -d /tmp/dp-slurm.XXXXXX)
  if SLURM_UP_CPUS=${SLURM_UP_CPUS:-4} bash scripts/slurm/up.sh "$SLURM_DIR" >&2; then
    export SLURM_CONF="$SLURM_DIR/etc/slurm.conf"
  elif ! command -v sbatch >/dev/null; then
    rm -rf "$SLURM_DIR"; SLURM_DIR=""
    export DATAPIPE_SLURM_SKIP_REASON="apt-get install slurm-wlm munge failed here"
    echo "test: Slurm could not be installed; the Slurm executor tests will be skipped" >&2
  else
    echo "test: Slurm is installed but the local cluster did not come up (see $SLURM_DIR/log)" >&2
    exit 1
  fi
fi
dotnet build DataPipeline.sln -c Release -nologo -v quiet -clp:ErrorsOnly -warnaserror
status=0
passed=0; failed=0; skipped=0
for project in tests/*.Tests/*.Tests.csproj; do
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
