"""Hand over (packs): export a pack, preview and import one, resolve conflicts, the import log."""
