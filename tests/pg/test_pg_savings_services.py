"""The tests of tests/db/test_savings_services.py, imported, with PostgreSQL as their `db`."""

from tests.db.test_savings_services import *  # noqa: F403

# Checks the copied columns with raw SQL through the sqlite3 module.
del test_the_copied_rollup_columns_follow_every_change  # noqa: F821
