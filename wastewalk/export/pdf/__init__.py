"""PDF reports with reportlab: the shared page frame, fonts, text, tables and charts.

Every report goes through `document.build_pdf`, so every page has the NHS Blue title, the filters
and the data's date at the top, page numbers at the foot, user text escaped, and byte-for-byte the
same output for the same data (fixed metadata, `invariant`), which is what the golden tests compare.
"""
