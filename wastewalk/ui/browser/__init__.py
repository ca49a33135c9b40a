"""The Observations section: every observation across walks, filtered and sorted in SQL."""
