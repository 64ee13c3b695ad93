"""Entry point: python tools/train/torch/train.py --help (or npm run train:torch -- --help)."""
import sys

from sittergan.cli import main

sys.exit(main(sys.argv[1:]))
