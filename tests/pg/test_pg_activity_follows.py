"""The tests of tests/db/test_activity_follows.py, imported, with PostgreSQL as their `db`."""

from tests.db.test_activity_follows import *  # noqa: F403

# Reopens the SQLite file a killed program left behind.
del test_a_follow_left_open_by_a_killed_program_goes_on_from_its_last_known_point  # noqa: F821
