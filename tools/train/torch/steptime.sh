#!/usr/bin/env bash
# The PyTorch trainer's step time on this machine: bash tools/train/torch/steptime.sh <size> <steps> [threads].
# Prints the mean s/step after warm-up (batch 32, G base 16, D base 8), with the load average around it, since on a
# shared machine a figure means little without it. (The retired wasm trainer's figures are in tools/train/README.md.)
set -euo pipefail
size="${1:-64}"; steps="${2:-20}"; threads="${3:-1}"
root="$(cd "$(dirname "$0")/../../.." && pwd)"
py="${SITTER_PYTHON:-$root/tools/train/torch/.venv/bin/python}"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
cd "$root"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$py" tools/train/torch/train.py --out "$tmp/torch" --size "$size" --batch 32 --base 16 --d-base 8 --steps "$steps" --log-every 5 --threads "$threads" \
  | grep -o 'step [0-9]* .* s/step' | tail -n +2 | awk '{s+=$(NF-1); n++} END {printf "pytorch %s px batch 32: %.3f s/step (mean of %d logged intervals after the first, '"$threads"' thread(s))\n", "'"$size"'", s/n, n}'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
