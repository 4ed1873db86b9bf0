#!/usr/bin/env bash
# Every check: the import rules, typecheck, lint, test and the contract pipeline (test:contract, see
# docs/contracts.md) in every package (turbo, cached by inputs), then one closing line
# that adds up the tests of all packages.
set -uo pipefail
cd "$(dirname "$0")/.."
rm -f {apps,packages,tooling}/*/test-results/vitest*.json {contracts,test}/test-results/vitest*.json
# Who may import whom (docs/architecture.md): a broken rule fails the check.
depcruise apps packages contracts tooling test bench --config .dependency-cruiser.cjs
deps=$?
turbo run typecheck lint test test:contract --concurrency=3 "$@"
status=$?
[ $status -eq 0 ] && status=$deps
node scripts/test-summary.mjs
exit $status
