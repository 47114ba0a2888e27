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

# The download rows compare with curl on the same file, directly and through tinyproxy, a real proxy,
# over TLS with a private certificate authority made by openssl; install what is missing when we can.
missing=()
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v tinyproxy >/dev/null 2>&1 || [ -x /usr/bin/tinyproxy ] || missing+=(tinyproxy)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
	if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
		log "missing ${missing[*]}: apt-get install ${missing[*]}"
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >&2 || log "WARNING: could not install ${missing[*]}"
	else
		log "WARNING: ${missing[*]} missing and cannot be installed here; the rows that need them will say so"
	fi
fi

exec node out/bench/bench.js "$@"
