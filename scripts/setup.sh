#!/usr/bin/env bash
# Installs everything DataPipeline needs on a fresh Debian machine of this project's kind, then
# restores the NuGet packages. Idempotent: a second run does nothing that is already done.
#   - the .NET 10 SDK must be on PATH (the machine image provides it);
#   - zstd (the benchmark's floor and test fixtures), libzstd1 and zlib1g (native codecs; the
#     program falls back to managed codecs without them), python3 (test fixture scripts);
#   - sentencepiece (spm_train / spm_encode: the tokenizer tests train small models and check our
#     ids against spm_encode's);
#   - chromium (the report tests load report.html in headless Chromium) and fonts-dejavu-core
#     (the report's charts draw their text with DejaVu Sans: Skia's no-dependencies build cannot
#     look fonts up by name, so it needs a font file).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO="sudo"; fi

if ! command -v dotnet >/dev/null || ! dotnet --list-sdks | grep -q '^10\.'; then
  echo "setup: the .NET 10 SDK is required (dotnet --list-sdks shows none); install it and rerun" >&2
  exit 1
fi

need=()
command -v zstd >/dev/null || need+=(zstd)
command -v python3 >/dev/null || need+=(python3)
command -v spm_train >/dev/null && command -v spm_encode >/dev/null || need+=(sentencepiece)
ldconfig -p 2>/dev/null | grep 'libzstd.so.1 ' >/dev/null || need+=(libzstd1)
command -v chromium >/dev/null || need+=(chromium)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
ldconfig -p 2>/dev/null | grep 'libz.so.1 ' >/dev/null || need+=(zlib1g)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${need[@]}" >&2 \
    || { $SUDO apt-get update >&2 && $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${need[@]}" >&2; }
fi

echo "setup: restoring NuGet packages" >&2
dotnet restore "$ROOT/DataPipeline.sln" -nologo -v quiet >&2
touch "$ROOT/.setup-done"
echo "setup: done" >&2
