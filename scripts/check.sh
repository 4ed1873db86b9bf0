#!/usr/bin/env bash
# Every check: typecheck, lint, test and the contract pipeline (test:contract, see
# docs/contracts.md) in every package (turbo, cached by inputs), then one closing line
# that adds up the tests of all packages.
set -uo pipefail
cd "$(dirname "$0")/.."
rm -f {apps,packages,tooling}/*/test-results/vitest*.json {contracts,test}/test-results/vitest*.json
turbo run typecheck lint test test:contract --concurrency=3 "$@"
status=$?
node scripts/test-summary.mjs
exit $status
