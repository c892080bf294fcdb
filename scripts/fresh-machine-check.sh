#!/usr/bin/env bash
# What a machine with only Node and npm sees: a clean clone of this checkout (committed files only), and
# failing stand-ins for the outside programs a developer's machine may have (socat, chromium, psql, pg_ctl,
# initdb, systemd-analyze) first on PATH. Then `npm install` must leave package-lock.json unchanged, and the
# tests that touched such programs must pass or say "DID NOT RUN" (systemd-analyze).
#
#   scripts/fresh-machine-check.sh [--reuse-node-modules] [--all] [CLONE_DIR]
#
# --reuse-node-modules copies this checkout's node_modules into the clone before `npm install` (quicker;
# npm install still runs and must not touch the lock file). --all runs the whole `npm test` instead of the
# affected test files.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
reuse=0
all=0
clone=""
for arg in "$@"; do
  case "$arg" in
    --reuse-node-modules) reuse=1 ;;
    --all) all=1 ;;
    *) clone="$arg" ;;
  esac
done
clone="${clone:-$(mktemp -d /tmp/dsp-fresh-XXXXXX)/clone}"
rm -rf "$clone"
git clone -q "$here" "$clone"
cd "$clone"

stand_ins="$clone-stand-ins"
mkdir -p "$stand_ins"
for program in socat chromium chromium-browser psql pg_ctl initdb postgres systemd-analyze; do
  printf '#!/bin/sh\necho "%s: not installed on a fresh machine" >&2\nexit 127\n' "$program" >"$stand_ins/$program"
  chmod +x "$stand_ins/$program"
done
export PATH="$stand_ins:$PATH"

if [ "$reuse" = 1 ]; then cp -a "$here/node_modules" "$clone/node_modules"; fi
npm install --no-audit --no-fund --prefer-offline
git diff --exit-code package-lock.json
echo "fresh-machine-check: npm install left package-lock.json unchanged"

if [ "$all" = 1 ]; then
  npm test
else
  npm run build
  npx vitest run drivers/serial-pty.test.ts test/e2e/link-faults.test.ts test/e2e/process-kills.test.ts \
    test/agent/systemd-unit.test.ts test/sink/systemd-unit.test.ts test/package/pack.test.ts
fi
echo "fresh-machine-check: passed in $clone"
