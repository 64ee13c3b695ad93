#!/usr/bin/env bash
# A training run on a lent GPU machine (the `device` tool: CUDA PyTorch, no Node, a 64 MiB working tree going there,
# at most 8 files of 16 MiB coming back), in one prepared command. Three steps:
#
#   here:   bash tools/train/torch/gpu-kit.sh prepare [size] [count] [resume-run-folder]
#           xz-packs the renders into tools/train/.work/gpu/ (gitignored, so it travels only as `carry`) and, to go
#           on with an earlier run, its checkpoint in parts; prints the device call to make.
#   there:  bash tools/train/torch/gpu-kit.sh run <minutes> [train.py options...]
#           trains with the machine's own python3 on cuda (bf16 autocast), then leaves in $OUT the checkpoint split
#           into 15 MiB parts, its sample grid and the log.
#   here:   bash tools/train/torch/gpu-kit.sh join <files_at folder> <run folder>
#           puts the checkpoint back together in <run>/checkpoint, checks that it loads, and says how to go on
#           (npm run train:torch -- --out <run> resumes it on the CPU; train:export exports it).
#
# The card of a model trained this way lists the GPU steps and the CPU steps separately (training.runs).
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
work="${SITTER_TRAIN_WORK:-tools/train/.work}"  # another folder only for the test
kit="$work/gpu"
part_size=$((15 * 1024 * 1024))

case "${1:-}" in
prepare)
  size="${2:-64}"; count="${3:-16000}"; resume="${4:-}"
  cd "$root"
  src="$work/renders-$size-$count"
  [ -f "$src.u8" ] || { echo "no $src.u8: make it with npm run train:pack -- --size $size --count $count" >&2; exit 1; }
  rm -rf "$kit"; mkdir -p "$kit"
  cp "$src.json" "$kit/renders-$size-$count.json"
  xz -T0 -6 -c "$src.u8" > "$kit/renders-$size-$count.u8.xz"
  if [ -n "$resume" ]; then
    [ -f "$resume/checkpoint/checkpoint.pt" ] || { echo "$resume/checkpoint/checkpoint.pt: no checkpoint to resume" >&2; exit 1; }
    split -b "$part_size" -d "$resume/checkpoint/checkpoint.pt" "$kit/checkpoint.pt.part-"
  fi
  tree=$(git ls-files -z | xargs -0 du -cb 2>/dev/null | tail -1 | cut -f1)
  kitb=$(du -cb "$kit" | tail -1 | cut -f1)
  echo "kit: $kit $((kitb / 1048576)) MiB; tracked tree $((tree / 1048576)) MiB; together $(((tree + kitb) / 1048576)) of 64 MiB"
  if [ $((tree + kitb)) -ge $((64 * 1048576)) ]; then echo "too big to travel: use fewer renders (count)" >&2; exit 1; fi
  echo "device call: run(carry=[\"$kit\"], timeout_s=600, command=\"bash tools/train/torch/gpu-kit.sh run 8 --size $size --base 48 --d-base 32 --batch 64 --no-aug-colour --channel-affine 3,4\")"
  ;;
run)
  minutes="${2:?minutes}"; shift 2
  cd "$root"
  : "${OUT:?OUT is where the device tool collects files}"
  export PYTHONUNBUFFERED=1
  py="${SITTER_PYTHON:-python3}"  # the device's python3 holds CUDA PyTorch
  run=/tmp/sitter-gpu-run
  rm -rf "$run"; mkdir -p "$run/checkpoint"
  data=$(ls "$kit"/renders-*.u8.xz | head -1)
  if ls "$kit"/checkpoint.pt.part-* >/dev/null 2>&1; then cat "$kit"/checkpoint.pt.part-* > "$run/checkpoint/checkpoint.pt"; fi
  # SITTER_DEVICE=cpu runs the same path without a GPU (the test in tests/unit/train/torch.test.ts does).
  { nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true; "$py" -c 'import torch; print("torch", torch.__version__, "cuda", torch.cuda.is_available())'; } | tee "$OUT/train.log"
  "$py" tools/train/torch/train.py --out "$run" --data "$data" --device "${SITTER_DEVICE:-cuda}" --amp \
    --minutes "$minutes" --checkpoint-every 120 --log-every 200 --threads 8 "$@" 2>&1 | tee -a "$OUT/train.log"
  split -b "$part_size" -d "$run/checkpoint/checkpoint.pt" "$OUT/checkpoint.pt.part-"
  cp "$run/checkpoint/samples.png" "$OUT/samples.png"
  ls -la "$OUT"
  ;;
join)
  from="${2:?files_at folder}"; run="${3:?run folder}"
  cd "$root"
  mkdir -p "$run/checkpoint"
  cat "$from"/checkpoint.pt.part-* > "$run/checkpoint/checkpoint.pt.tmp"
  mv "$run/checkpoint/checkpoint.pt.tmp" "$run/checkpoint/checkpoint.pt"
  cp "$from/samples.png" "$run/checkpoint/samples.png"
  cat "$from/train.log" >> "$run/train.log"
  py="${SITTER_PYTHON:-$root/tools/train/torch/.venv/bin/python}"
  ckpt="$(cd "$run/checkpoint" && pwd)"
  (cd tools/train/torch && "$py" -c 'import sys; from sittergan.trainer import Trainer; t = Trainer.load(sys.argv[1], None); print(f"joined: step {t.step}; runs {t.runs}")' "$ckpt")
  echo "resume on the CPU: npm run train:torch -- --out $run ; export: npm run train:export -- --checkpoint $run/checkpoint --out models/<id>"
  ;;
*)
  sed -n 2,17p "$0" >&2; exit 1 ;;
esac
