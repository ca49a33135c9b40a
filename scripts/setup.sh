#!/usr/bin/env bash
# Sourced by run.sh and test.sh: make sure this machine can run WasteWalk, then make the virtual
# environment and install the package into it. Safe to run again: it only does what is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${WASTEWALK_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"

say() { printf 'wastewalk setup: %s\n' "$*" >&2; }

# System libraries Qt needs on Debian/Ubuntu (offscreen for tests, xcb for a real screen).
QT_DEBS=(libegl1 libgl1 libglib2.0-0 libfontconfig1 libdbus-1-3 libxkbcommon0
         libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
         libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 fonts-dejavu-core)

apt_install() {
  # Installs only the Debian packages in "$@" that are missing; needs root (or sudo).
  command -v dpkg-query >/dev/null 2>&1 || return 0
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      say "please install these Debian packages first: ${missing[*]}"; return 1
    fi
  fi
  say "installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

ensure_python() {
  if ! command -v "$PYTHON" >/dev/null 2>&1; then
    apt_install python3 python3-venv
  fi
  if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    say "WasteWalk needs Python 3.11 or newer; $PYTHON is $("$PYTHON" --version 2>&1)"
    exit 1
  fi
  if ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    apt_install python3-venv
  fi
}

ensure_venv() {
  # $1: the extras to install, e.g. "" or "[test]". Reinstalls when pyproject.toml changes.
  local extras="$1"
  local hash; hash="$(sha1sum "$ROOT/pyproject.toml" | cut -c1-12)"
  local stamp="$VENV/.installed-$hash${extras//[^a-z]/}"
  [ -f "$stamp" ] && return 0
  # pyproject.toml changed since the last install: every older stamp is stale.
  find "$VENV" -maxdepth 1 -name '.installed-*' ! -name ".installed-$hash*" -delete 2>/dev/null || true
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  say "installing WasteWalk${extras} into $VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -e "$ROOT$extras"
  touch "$stamp"
}

if [ "$(uname -s)" = "Linux" ]; then
  apt_install "${QT_DEBS[@]}"
fi
ensure_python
