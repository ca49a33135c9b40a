"""CSV and PDF exports (reports arrive with a later issue)."""
