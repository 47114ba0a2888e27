#!/usr/bin/env bash
# `npm run demo`: VideoGen's user journey in a real VS Code (code-server in headless Chromium) against the
# API simulator, with a log of each step and screenshots in demo-output/. On a fresh clone it installs
# what it needs first: the npm dependencies and the offline test rig (test/harness/setup.sh).
#   npm run demo                 run the journey, save the screenshots, stop everything
#   npm run demo -- --keep       then leave the simulator and code-server running (also DEMO_KEEP=1)
#   npm run demo -- --port 8080  code-server on that port (with --keep: a URL that stays the same)
# Exit: 0 when every step passed; 1 with the failed step named otherwise; 2 on bad arguments.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1

log() { echo "[demo] $*"; }
die() { echo "[demo] ERROR: $*" >&2; exit 1; }

# shellcheck source=/dev/null
source "$ROOT/test/harness/deps.sh"

install_dependencies || die "installing the npm dependencies failed"
bash test/harness/setup.sh || die "installing the test rig failed (test/harness/setup.sh)"
log "building: npm run compile, tsc -p test"
npm run --silent compile || die "the extension does not build (npm run compile)"
npx tsc -p test || die "the tests do not build (tsc -p test)"
exec node out/test/harness/demo.js "$@"
