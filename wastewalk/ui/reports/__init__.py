"""The Reports section: PDF reports and CSV exports, previewed and saved; SPC charts."""
