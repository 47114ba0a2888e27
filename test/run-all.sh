#!/usr/bin/env bash
# `npm test` (and CI): dependencies, build, then every test stage:
#   0. lint                              (npm run lint: ESLint over src, test, bench; a failure counts
#                                         as one failed test)
#   1. unit tests in plain Node          (mocha, test/.mocharc.unit.json, out/test/unit)
#   2. system tests in plain Node        (mocha, test/.mocharc.system.json, out/test/system: soak,
#                                         durability, two windows)
#   3. the extension-host suite          (test/harness/run-host-tests.sh, out/test/integration)
#   4. UI tests, if there are any        (mocha, test/.mocharc.ui.json, out/test/ui)
# Every stage runs even when an earlier one failed, so the closing line counts them all; a failed build
# stops at once. Exits non-zero when anything failed. The very last line is `N passed, N failed`,
# summed over the stages, with pending (skipped) tests counted as failed.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1

PASSED=0
FAILED=0
LOGS=$(mktemp -d "${TMPDIR:-/tmp}/videogen-test-logs.XXXXXX")
trap 'rm -rf "$LOGS"' EXIT

log() { echo "[test] $*"; }

finish() {
	log "stages: ${STAGES:-none}"
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ] && exit 0 || exit 1
}

# Adds a stage's counts. $1 stage name, $2 exit code, $3 passed, $4 failed. A stage that exited non-zero
# without reporting a failure (a crash, a timeout, a harness error) counts as one failure.
record() {
	local failed=$4
	if [ "$2" -ne 0 ] && [ "$failed" -eq 0 ]; then
		failed=1
	fi
	PASSED=$((PASSED + $3))
	FAILED=$((FAILED + failed))
	STAGES="${STAGES:+$STAGES; }$1: $3 passed, $failed failed"
}

# The number before $2 ("passing", "failing", "pending") in mocha's spec summary in file $1, or 0.
mocha_count() {
	sed 's/\x1b\[[0-9;]*m//g' "$1" | sed -n "s/^ *\([0-9][0-9]*\) $2\b.*/\1/p" | tail -1 | grep . || echo 0
}

# Runs mocha with config $2 as stage $1 and records what its spec reporter reported.
run_mocha_stage() {
	local name=$1 config=$2 out="$LOGS/$1.log" rc failing pending
	log "stage $name: mocha --config $config"
	npx mocha --config "$config" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	failing=$(mocha_count "$out" failing)
	pending=$(mocha_count "$out" pending)
	record "$name" "$rc" "$(mocha_count "$out" passing)" $((failing + pending))
}

# True when the compiled folder $1 holds at least one *.test.js.
has_tests() {
	[ -d "$1" ] && [ -n "$(find "$1" -name '*.test.js' -print -quit)" ]
}

# shellcheck source=/dev/null
source "$ROOT/test/harness/deps.sh"

build() {
	log "build: npm run compile, tsc -p test"
	npm run --silent compile && npx tsc -p test && prune_stale_outputs
}

# tsc leaves the output of deleted sources behind; a stale *.test.js would still run. Drop it.
prune_stale_outputs() {
	local js src
	find out -name '*.js' | while read -r js; do
		src=${js#out/}
		[ -e "${src%.js}.ts" ] || [ -e "$src" ] || rm -f "$js" "$js.map"
	done
}

# ESLint counts as a stage that passed nothing and failed once when it found a problem.
lint_stage() {
	local rc
	log "stage lint: npm run lint"
	npm run --silent lint
	rc=$?
	record lint "$rc" 0 0
}

host_stage() {
	local out="$LOGS/host.log" rc summary passed=0 failed=0
	log "stage host: test/harness/run-host-tests.sh"
	VIDEOGEN_SKIP_BUILD=1 bash test/harness/run-host-tests.sh 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	summary=$(grep -E '^(\w+: )?[0-9]+ passed, [0-9]+ failed' "$out" | tail -1)
	if [ -n "$summary" ]; then
		passed=$(echo "$summary" | sed -E 's/^(\w+: )?([0-9]+) passed.*/\2/')
		failed=$(echo "$summary" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	fi
	record host "$rc" "$passed" "$failed"
}

main() {
	install_dependencies || { log "dependency install failed"; FAILED=1; finish; }
	# The distribution's packages, before any stage: the proxy tests (unit, system and host) run
	# tinyproxy and openssl, the host stage a browser. Idempotent: present packages are left alone.
	bash test/harness/setup.sh --system-packages || log "WARNING: the distribution's packages could not be installed; the tests that need them will fail and say so"
	build || { log "build failed: no test ran"; FAILED=1; finish; }
	lint_stage

	if has_tests out/test/unit; then
		run_mocha_stage unit test/.mocharc.unit.json
	else
		log "stage unit: no compiled unit tests in out/test/unit, skipped"
	fi
	if has_tests out/test/system; then
		run_mocha_stage system test/.mocharc.system.json
	else
		log "stage system: no compiled system tests in out/test/system, skipped"
	fi
	host_stage
	if has_tests out/test/ui; then
		run_mocha_stage ui test/.mocharc.ui.json
	else
		log "stage ui: no compiled UI tests in out/test/ui, skipped"
	fi
	finish
}

main "$@"
