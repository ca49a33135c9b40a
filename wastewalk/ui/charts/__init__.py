"""Chart widgets shared by sections (Qt Charts)."""
