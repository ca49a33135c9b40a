#!/usr/bin/env bash
# Set up (first time only) and run every check: lint, format, types, import layers, all tests.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ensure_venv "[test]"
cd "$ROOT"
export QT_QPA_PLATFORM=offscreen
step() { printf '\n== %s\n' "$*"; }
step "ruff lint";            "$VENV/bin/ruff" check .
step "ruff format";          "$VENV/bin/ruff" format --check .
step "mypy (domain, services)"; "$VENV/bin/mypy"
step "import layers";        "$VENV/bin/lint-imports"
step "pytest";               "$VENV/bin/pytest" "$@"
