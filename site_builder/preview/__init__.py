"""`serve` only: the live preview, its shortcut rebuilds and its server."""
