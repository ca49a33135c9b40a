"""The tests of tests/db/test_time_studies.py, imported, with PostgreSQL as their `db`."""

from tests.db.test_time_studies import *  # noqa: F403
