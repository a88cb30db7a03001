"""Every test runs with the IR checker after every stage."""

import os
import sys

os.environ.setdefault("SOURCEAD_VERIFY", "1")
sys.path.insert(0, os.path.dirname(__file__))
