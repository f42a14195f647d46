"""`python -m yousync_desktop` starts the app (or runs a subcommand: see `--help`)."""

import sys

from yousync_desktop.cli import main

sys.exit(main())
