#!/usr/bin/env bash
# `npm run test:host`: runs test/integration inside the extension host of a real VS Code (code-server),
# driven by headless Chromium, with no internet access needed. Installs the rig on first use.
#   Exit: 0 passed, 1 a test failed (or the build did), 2 the harness failed or timed out.
#   Env:  HOST_TEST_TIMEOUT seconds (default 600); SCREENSHOT=file.png; VERBOSE=1; KEEP_STATE=1;
#         VIDEOGEN_HOST_DIR (rig folder, see setup.sh); VIDEOGEN_SKIP_BUILD=1 when already compiled.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"

bash test/harness/setup.sh || { echo "[harness] setup failed"; exit 2; }
if [ -z "${VIDEOGEN_SKIP_BUILD:-}" ]; then
	echo "[harness] compiling"
	npm run --silent compile
	npx tsc -p test
fi
# tsc leaves the output of deleted sources behind: drop compiled tests whose .ts is gone.
find out/test/integration -name '*.js' 2>/dev/null | while read -r js; do
	src=${js#out/}
	[ -e "${src%.js}.ts" ] || rm -f "$js" "$js.map"
done

WORKSPACE=$(mktemp -d "${TMPDIR:-/tmp}/videogen-ws.XXXXXX")
trap 'rm -rf "$WORKSPACE"' EXIT
node out/test/harness/runHostTests.js --ext "$ROOT" --tests "$ROOT/out/test/integration/index.js" \
	--folder "$WORKSPACE" --timeout "${HOST_TEST_TIMEOUT:-600}"
