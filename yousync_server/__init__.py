"""YouSync server: the public YouSync HTTP API with its defects fixed (docs/yousync-api.md)."""
