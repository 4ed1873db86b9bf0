#!/usr/bin/env bash
# `npm start` / `npm test` land here: bootstrap (install pnpm and the workspace), then
# run pnpm with the given arguments, with the pinned pnpm first on PATH so that turbo
# finds it for every task.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export PATH="$PWD/.tools/node_modules/.bin:$PATH"
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
fi
export TURBO_TELEMETRY_DISABLED=1
exec pnpm "$@"
