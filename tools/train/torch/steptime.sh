#!/usr/bin/env bash
# Step time of the wasm (TS) trainer and the PyTorch trainer, same size, batch and G, measured back to back in one
# run: bash tools/train/torch/steptime.sh <size> <steps> [threads]. Prints each trainer's mean s/step after warm-up.
set -euo pipefail
size="${1:-64}"; steps="${2:-20}"; threads="${3:-1}"
root="$(cd "$(dirname "$0")/../../.." && pwd)"
py="${SITTER_PYTHON:-$root/tools/train/torch/.venv/bin/python}"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
cd "$root"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
npx tsx tools/train/cli.ts --out "$tmp/wasm" --size "$size" --batch 32 --base 16 --count 16000 --steps "$steps" --log-every 5 --checkpoint-every 100000 \
  | grep -o 'step [0-9]*/[0-9]* .* s/step' | tail -n +2 | awk '{s+=$(NF-1); n++} END {printf "wasm    %s px batch 32: %.3f s/step (mean of %d logged intervals after the first)\n", "'"$size"'", s/n, n}'
"$py" tools/train/torch/train.py --out "$tmp/torch" --size "$size" --batch 32 --base 16 --d-base 8 --steps "$steps" --log-every 5 --threads "$threads" \
  | grep -o 'step [0-9]* .* s/step' | tail -n +2 | awk '{s+=$(NF-1); n++} END {printf "pytorch %s px batch 32: %.3f s/step (mean of %d logged intervals after the first, '"$threads"' thread(s))\n", "'"$size"'", s/n, n}'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
