"""`python main.py` starts YouSync Desktop, the same as `python -m yousync_desktop`."""

import sys

from yousync_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
