#!/usr/bin/env bash
# GPU check and benchmark of the MinHash backend (issue: near-deduplication), in one command.
#
#   bash bench/gpu.sh            # on a machine with the .NET SDK: build, then run if a CUDA GPU is here
#   bash bench/gpu.sh build      # build only: self-contained binaries into bench/out/gpu/ (no SDK needed to run them)
#   bash bench/gpu.sh run        # run only, from bench/out/gpu/ (e.g. on a GPU machine without the SDK)
#
# Runs (1) the ILGPU CUDA kernel against the CPU SIMD path on the sample corpus and on random batches
# of 13, 112 and 260 permutations: signatures must be equal bit for bit, with timings; (2) datapipe
# dedup of the sample corpus with --backend cpu and --backend gpu: removed.jsonl must be identical,
# with wall times. Exits 1 on any difference. Record the figures in bench/RESULTS.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/out/gpu"
mode="${1:-all}"

if [ "$mode" = build ] || [ "$mode" = all ]; then
  bash "$ROOT/scripts/setup.sh"
  src="$OUT/gpucheck-src"
  rm -rf "$src" && mkdir -p "$src"
  cp "$ROOT/tests/DataPipeline.Dedup.Tests/Device/GpuCheck.cs.txt" "$src/GpuCheck.cs"
  sed "s#../../../src/Dedup/DataPipeline.Dedup.csproj#$ROOT/src/Dedup/DataPipeline.Dedup.csproj#" \
    "$ROOT/tests/DataPipeline.Dedup.Tests/Device/gpucheck.csproj.txt" > "$src/gpucheck.csproj"
  dotnet publish "$src/gpucheck.csproj" -c Release -r linux-x64 --self-contained -o "$OUT/gpucheck" -nologo -v quiet -clp:ErrorsOnly
  dotnet publish "$ROOT/jobs/DataPipeline.Jobs.csproj" -c Release -r linux-x64 --self-contained -o "$OUT/datapipe" -nologo -v quiet -clp:ErrorsOnly
  echo "built into $OUT" >&2
fi

if [ "$mode" = run ] || [ "$mode" = all ]; then
  if [ "$mode" = all ] && ! command -v nvidia-smi >/dev/null; then
    echo "no CUDA GPU here (nvidia-smi missing): built only; run 'bash bench/gpu.sh run' on a GPU machine" >&2
    exit 0
  fi
  nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
  "$OUT/gpucheck/gpucheck" "$ROOT/samples/corpus"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  for backend in cpu gpu; do
    start=$(date +%s.%N)
    "$OUT/datapipe/datapipe" dedup --input "$ROOT/samples/corpus" --output "$work/$backend" --backend "$backend" --quiet > /dev/null
    echo "datapipe dedup --backend $backend: $(echo "$(date +%s.%N) - $start" | bc) s"
  done
  if cmp -s "$work/cpu/removed.jsonl" "$work/gpu/removed.jsonl"; then
    echo "removed.jsonl identical for cpu and gpu ($(wc -l < "$work/cpu/removed.jsonl") removals)"
  else
    echo "removed.jsonl DIFFERS between cpu and gpu" >&2
    exit 1
  fi
fi
