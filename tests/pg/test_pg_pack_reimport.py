"""On PostgreSQL, stored records read the quick way (ids cast to text, photo bytes hashed by the
server, ids sent as one array) equal record_dict exactly: tests/db/test_pack_reimport.py's test
with PostgreSQL as its `db`."""

from __future__ import annotations

from tests.db.test_pack_reimport import (  # noqa: F401
    test_local_records_read_quickly_equal_record_dict,
)
