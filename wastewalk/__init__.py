"""WasteWalk: waste walks, direct observation and savings for NHS improvement teams."""

__version__ = "0.1.0"
