"""``python -m sourcead``: the command line of `sourcead.cli` (show, check, demo)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
