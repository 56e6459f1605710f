#!/usr/bin/env bash
# Build (or reuse) a virtual environment for one pinned requirement file.
#
# Environments live outside the clone, in $VENV_CACHE/<name>-<hash of the requirement
# file>, and the clone gets a symbolic link to the matching one: a rerun, or a fresh
# clone on the same machine, reuses it in seconds, while any change to the pins gives a
# new hash and therefore a fresh build. A build is
# marked complete only at the end, so an interrupted build is rebuilt, never reused.
#
# usage: make_venv.sh NAME PYTHON REQUIREMENTS LINK
set -euo pipefail
name=$1 python=$2 req=$3 link=$4
cache=${VENV_CACHE:-$HOME/.cache/powerdesk/venvs}
hash=$(sha256sum "$req" | cut -c1-16)
target="$cache/$name-$hash"
python=$(command -v "$python" || true)
if [ -z "$python" ]; then
  echo "error: the Python interpreter for $name was not found; $name needs it (see README, Requirements)" >&2
  exit 1
fi
if [ ! -f "$target/.complete" ]; then
  echo "building $name environment in $target (from $req)"
  rm -rf "$target"
  mkdir -p "$cache"
  "$python" -m venv "$target"
  "$target/bin/pip" install -q --upgrade "pip<25" wheel
  "$target/bin/pip" install -q --no-deps -r "$req"
  "$target/bin/pip" check
  touch "$target/.complete"
fi
ln -sfn "$target" "$link"
echo "$name environment: $link -> $target"
