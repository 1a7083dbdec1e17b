"""The model-building commands (`callshield train`, `train-fusion`, `extract-crops`, `robustness`, `make-swaps`).

They live outside the shipped packages: a source checkout with the `train` extra has them, the app bundle does not.
"""

from __future__ import annotations

import importlib
import sys

# Each tool has a parser of its own and is imported only when asked for (torch, training data readers).
TOOLS = {
    "train": "training.train",
    "train-fusion": "training.train_fusion",
    "extract-crops": "training.extract_crops",
    "robustness": "training.robustness",
    "make-swaps": "training.factory.make_swaps",
}


def main(argv: list[str]) -> int:
    """Runs the tool named by argv[0] with the rest of argv."""
    importlib.import_module(TOOLS[argv[0]]).main(argv[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
