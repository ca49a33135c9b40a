#!/usr/bin/env bash
# Set up (first time only) and open WasteWalk. Extra arguments go to the program, e.g.
#   scripts/run.sh demo --db demo.sqlite     then     scripts/run.sh --db demo.sqlite
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ensure_venv ""
exec "$VENV/bin/wastewalk" "$@"
