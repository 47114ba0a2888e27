# shellcheck shell=bash
# Sourced by `npm test` (test/run-all.sh), `npm run demo` and `npm run bench`: installs the npm
# dependencies from the lockfile on a fresh clone, or when they are older than package.json or the
# lockfile. The caller defines `log`.

install_dependencies() {
	# node_modules/.package-lock.json is npm's record of the last install: older than the lockfile = stale.
	if [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] \
		&& [ node_modules/.package-lock.json -nt package.json ]; then
		return 0
	fi
	if [ -f package-lock.json ]; then
		log "npm ci"
		npm ci --no-audit --no-fund
	else
		log "npm install"
		npm install --no-audit --no-fund
	fi
}
