"""`python -m tools.demo_scenes [--out DIR]` from the repository root."""

import sys

from tools.demo_scenes.build import main

sys.exit(main())
