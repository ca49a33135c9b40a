#!/usr/bin/env bash
# Set up (first time only) and run every check: lint, format, types, import layers, all tests.
# The tests run against SQLite files and, for tests/pg, against a throwaway PostgreSQL server that
# scripts/pg.sh installs (when missing), starts before pytest and stops after it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
source "$(dirname "${BASH_SOURCE[0]}")/pg.sh"
ensure_venv "[test]"
cd "$ROOT"
export QT_QPA_PLATFORM=offscreen
step() { printf '\n== %s\n' "$*"; }
step "ruff lint";            "$VENV/bin/ruff" check .
step "ruff format";          "$VENV/bin/ruff" format --check .
step "mypy (domain, services)"; "$VENV/bin/mypy"
step "import layers";        "$VENV/bin/lint-imports"
step "PostgreSQL for tests/pg"; pg_start
# Required from here on: without the server the PostgreSQL tests fail rather than go missing.
export WASTEWALK_REQUIRE_PG=1
step "pytest";               "$VENV/bin/pytest" "$@"
pg_stop
