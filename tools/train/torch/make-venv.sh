#!/usr/bin/env bash
# npm run train:venv: makes tools/train/torch/.venv with the pinned requirements (pip, ordinary index).
# The gallery runtime and npm test never need it; npm test runs the trainer's tests only when it exists.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="${PYTHON:-python3}"
if ! command -v "$python" >/dev/null; then
  echo "train:venv: no $python on PATH; install Python 3.10+ (or set PYTHON=/path/to/python3)" >&2
  exit 1
fi
"$python" -m venv "$here/.venv"
"$here/.venv/bin/python" -m pip install --quiet -r "$here/requirements.txt"
"$here/.venv/bin/python" -c 'import torch, numpy; print(f"tools/train/torch/.venv: torch {torch.__version__}, numpy {numpy.__version__}")'
