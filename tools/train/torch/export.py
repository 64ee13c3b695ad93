"""Entry point: python tools/train/torch/export.py --help (normally called by npm run train:export)."""
import sys

from sittergan.export import main

sys.exit(main(sys.argv[1:]))
