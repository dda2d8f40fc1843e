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
#     look fonts up by name, so it needs a font file);
#   - the fastText language-id model models/lid.176.ftz (CC BY-SA 3.0, by Facebook): taken from the
#     npm registry package fasttext.wasm.js@1.0.0, which ships it, with `npm pack` (npm is installed
#     when missing) and checked against its sha256. Nothing is downloaded when a pipeline runs.
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
LID_MODEL="$ROOT/models/lid.176.ftz"
LID_SHA256=8f3472cfe8738a7b6099e8e999c3cbfae0dcd15696aac7d7738a8039db603e83
lid_ok() { [ -f "$LID_MODEL" ] && echo "$LID_SHA256  $LID_MODEL" | sha256sum -c --status; }
lid_ok || command -v npm >/dev/null || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${need[@]}" >&2 \
    || { $SUDO apt-get update >&2 && $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${need[@]}" >&2; }
fi

if ! lid_ok; then
  echo "setup: fetching the fastText language-id model (npm pack fasttext.wasm.js@1.0.0)" >&2
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent fasttext.wasm.js@1.0.0 >/dev/null)
  tar -xzf "$tmp/fasttext.wasm.js-1.0.0.tgz" -C "$tmp" package/dist/models/language-identification/assets/lid.176.ftz
  got=$(sha256sum "$tmp/package/dist/models/language-identification/assets/lid.176.ftz" | cut -d' ' -f1)
  if [ "$got" != "$LID_SHA256" ]; then
    echo "setup: lid.176.ftz from fasttext.wasm.js@1.0.0 has sha256 $got, expected $LID_SHA256; not installing it" >&2
    exit 1
  fi
  mkdir -p "$ROOT/models"
  mv "$tmp/package/dist/models/language-identification/assets/lid.176.ftz" "$LID_MODEL.tmp"
  mv "$LID_MODEL.tmp" "$LID_MODEL"
  rm -rf "$tmp"
  trap - EXIT
fi

echo "setup: restoring NuGet packages" >&2
dotnet restore "$ROOT/DataPipeline.sln" -nologo -v quiet >&2
touch "$ROOT/.setup-done"
echo "setup: done" >&2
