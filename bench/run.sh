#!/usr/bin/env bash
# `npm run bench`: builds what the benchmark needs, then runs it (bench/bench.ts) against the API
# simulator on loopback. Prints one table and writes it to bench/results.md.
#   BENCH_QUICK=1 npm run bench    a shorter run: fewer repeats, 15 s of polling instead of 60 s
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

log() { echo "[bench] $*" >&2; }

# shellcheck source=/dev/null
source "$ROOT/test/harness/deps.sh"
install_dependencies >&2

log "build: npm run compile, tsc -p test"
npm run --silent compile >&2
npx tsc -p test >&2

# The download row compares with curl on the same file; install it when it is missing and we can.
if ! command -v curl >/dev/null 2>&1; then
	if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
		log "curl is missing: apt-get install curl"
		(apt-get update -qq && apt-get install -y -qq curl) >&2 || log "WARNING: could not install curl"
	else
		log "WARNING: curl is missing and cannot be installed here; the comparison with curl will be skipped"
	fi
fi

exec node out/bench/bench.js "$@"
