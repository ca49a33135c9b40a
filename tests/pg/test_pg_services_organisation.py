"""The tests of tests/db/test_services_organisation.py, imported, with PostgreSQL as their `db`."""

from tests.db.test_services_organisation import *  # noqa: F403
