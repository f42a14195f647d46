"""YouSync Desktop: practise dubbing movie scenes offline, with a live pitch trace and a quick score."""

__version__ = "0.1.0"
APP_NAME = "YouSync"
