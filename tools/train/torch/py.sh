#!/usr/bin/env bash
# Runs a trainer script with tools/train/torch/.venv's Python, or $SITTER_PYTHON when set (e.g. a shared venv).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
py="${SITTER_PYTHON:-$here/.venv/bin/python}"
if [ ! -x "$py" ]; then
  echo "no Python for the PyTorch trainer at $py: run npm run train:venv first (or set SITTER_PYTHON)" >&2
  exit 1
fi
script="$1"; shift
exec "$py" "$here/$script" "$@"
