"""Pure-Python rules of WasteWalk: no database, no Qt, no files."""
