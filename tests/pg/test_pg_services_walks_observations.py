"""tests/db/test_services_walks_observations.py, imported, with PostgreSQL as its `db`."""

from tests.db.test_services_walks_observations import *  # noqa: F403
