#!/usr/bin/env sh
# Installs what the real-VS-Code test needs into a cache directory (never the
# repository), once: code-server (VS Code in a browser) from the npm registry
# and playwright-core, which drives the system's Chromium (it downloads no
# browser of its own). Later runs find the install complete and return at
# once.
#
#   editors/vscode/test/real/setup.sh      # prints the install directory
#
# Exit status: 0 with the directory on stdout; 3 when the install cannot be
# had on this machine (wrong Node version, no compiler, a download failed),
# with the reason on stderr, so that the test skips; 1 when a build step
# fails or the result does not run, with the end of its log. SYNCLENS_EDITORS_CACHE overrides the cache directory.
#
# What makes code-server install here, found the hard way:
#  * code-server 4.100.x (VS Code 1.100) is the newest release for Node 20;
#    4.101+ needs Node 22.
#  * Its postinstall runs npm install in lib/vscode, whose native modules are
#    built with node-gyp; node-gyp would download Node's headers from
#    nodejs.org, so it is pointed at the installed ones (npm_config_nodedir).
#  * npm 11 skips dependencies' install scripts unless allowed, and as root
#    code-server's own postinstall insists on npm_config_unsafe_perm=true.
#    Every script is skipped here (--ignore-scripts) and the needed steps are
#    done explicitly, which works the same on every npm and user.
#  * @vscode/ripgrep's postinstall downloads rg from GitHub: the system's rg
#    (Debian: apt-get install ripgrep) is linked where it expects its binary.
#  * argon2's install script downloads a prebuilt binary from GitHub unless
#    told to build from source (npm_config_build_from_source).
#  * node-pty's postinstall fails after pty.node is built: the build is kept
#    and checked instead of the script's exit status.
set -eu

CODE_SERVER_VERSION=4.100.3
PLAYWRIGHT_VERSION=1.65.1

skip() {
	echo "setup.sh: cannot install the real-VS-Code test's tools here: $*" >&2
	exit 3
}

cache=${SYNCLENS_EDITORS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/synclens-editors}
dir="$cache/code-server-$CODE_SERVER_VERSION-playwright-$PLAYWRIGHT_VERSION"
if [ -f "$dir/.complete" ]; then
	echo "$dir"
	exit 0
fi

command -v node >/dev/null 2>&1 || skip "node is not installed"
command -v npm >/dev/null 2>&1 || skip "npm is not installed"
major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" = 20 ] || skip "code-server $CODE_SERVER_VERSION needs Node 20, this is Node $(node --version)"
rg=$(command -v rg 2>/dev/null) || skip "ripgrep (rg) is not installed (Debian: apt-get install ripgrep)"
for tool in make g++ python3; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed (needed to build code-server's native modules)"
done
nodedir=$(dirname "$(dirname "$(command -v node)")")
[ -f "$nodedir/include/node/node_api.h" ] || skip "Node's headers are not in $nodedir/include/node (needed to build native modules without a download)"

mkdir -p "$cache"
# One installer at a time; a second one waits, then finds it complete.
exec 9>"$cache/.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi
if [ -f "$dir/.complete" ]; then
	echo "$dir"
	exit 0
fi

start=$(date +%s)
tmp=$(mktemp -d "$cache/.tmp-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
log="$tmp/install.log"
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
export npm_config_nodedir="$nodedir"

step() {
	echo "setup.sh: $1" >&2
}

npm view --fetch-timeout=30000 --fetch-retries=1 "code-server@$CODE_SERVER_VERSION" version >>"$log" 2>&1 ||
	{ tail -5 "$log" >&2; skip "the npm registry cannot be reached"; }

step "npm install code-server@$CODE_SERVER_VERSION playwright-core@$PLAYWRIGHT_VERSION"
echo '{"name": "synclens-editors-test", "private": true}' >"$tmp/package.json"
(cd "$tmp" && npm install --ignore-scripts "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_VERSION") >>"$log" 2>&1 ||
	{ tail -20 "$log" >&2; skip "npm install failed (a download from the registry?)"; }

vscode="$tmp/node_modules/code-server/lib/vscode"
step "npm install in code-server's lib/vscode"
(cd "$vscode" && npm install --omit=dev --ignore-scripts) >>"$log" 2>&1 ||
	{ tail -20 "$log" >&2; skip "npm install in lib/vscode failed (a download from the registry?)"; }
(cd "$vscode/extensions" && npm install --omit=dev --ignore-scripts && node ./postinstall.mjs) >>"$log" 2>&1 ||
	{ tail -20 "$log" >&2; skip "npm install in lib/vscode/extensions failed (a download from the registry?)"; }

step "building native modules (node-gyp against $nodedir/include/node)"
# argon2 (code-server's password hashing) would download a prebuilt binary
# from GitHub first.
(cd "$tmp" && npm_config_build_from_source=true npm rebuild --foreground-scripts argon2) >>"$log" 2>&1 ||
	{ tail -30 "$log" >&2; echo "setup.sh: building argon2 failed" >&2; exit 1; }
(cd "$vscode" && npm rebuild --foreground-scripts @vscode/spdlog native-watchdog @vscode/deviceid) >>"$log" 2>&1 ||
	{ tail -30 "$log" >&2; echo "setup.sh: building native modules failed" >&2; exit 1; }
(cd "$vscode" && npm rebuild --foreground-scripts node-pty) >>"$log" 2>&1 || true
[ -f "$vscode/node_modules/node-pty/build/Release/pty.node" ] ||
	{ tail -30 "$log" >&2; echo "setup.sh: node-pty did not build pty.node" >&2; exit 1; }

step "linking $rg for @vscode/ripgrep, and code-server's postinstall links"
mkdir -p "$vscode/node_modules/@vscode/ripgrep/bin"
ln -sf "$rg" "$vscode/node_modules/@vscode/ripgrep/bin/rg"
ln -sfn node_modules "$vscode/node_modules.asar"
ln -sf code-linux.sh "$vscode/bin/remote-cli/code-server"
ln -sf browser-linux.sh "$vscode/bin/helpers/browser.sh"

XDG_CONFIG_HOME="$tmp/.config" node "$tmp/node_modules/code-server/out/node/entry.js" --version >>"$log" 2>&1 ||
	{ tail -20 "$log" >&2; echo "setup.sh: the installed code-server does not run" >&2; exit 1; }

echo "$(($(date +%s) - start))" >"$tmp/.install-seconds"
touch "$tmp/.complete"
rm -rf "$dir"
mv "$tmp" "$dir"
trap - EXIT
step "installed in $(cat "$dir/.install-seconds")s"
echo "$dir"
