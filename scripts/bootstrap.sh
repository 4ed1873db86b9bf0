#!/usr/bin/env bash
# Installs what the workspace needs on a machine that has only Node 20 and npm:
# pnpm (pinned, into the git-ignored .tools/), then the workspace's packages from the
# committed lockfile. Safe and fast to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=12.4.2
PNPM=.tools/node_modules/.bin/pnpm
if [ ! -x "$PNPM" ] || [ "$("$PNPM" --version)" != "$PNPM_VERSION" ]; then
  echo "bootstrap: installing pnpm $PNPM_VERSION into .tools/"
  npm install --prefix .tools --no-save --no-audit --no-fund --loglevel=error "pnpm@$PNPM_VERSION"
fi

# better-sqlite3 is compiled here with node-gyp; Debian ships Node's headers in
# /usr/include/node, so point node-gyp there instead of downloading them.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
fi
"$PNPM" install --frozen-lockfile --reporter=append-only

if ! command -v "${NATS_SERVER_BIN:-nats-server}" >/dev/null 2>&1; then
  echo "bootstrap: nats-server (with JetStream) is not on PATH; the system and its tests need it." >&2
  echo "  Debian/Ubuntu: sudo apt-get install nats-server   macOS: brew install nats-server" >&2
  exit 1
fi
