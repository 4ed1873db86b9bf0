#!/usr/bin/env bash
# Every check: the import rules, typecheck, lint, test and the contract pipeline (test:contract, see
# docs/contracts.md) in every package (turbo, cached by inputs), then one closing line
# that adds up the tests of all packages.
set -uo pipefail
cd "$(dirname "$0")/.."
rm -f {apps,packages,tooling}/*/test-results/vitest*.json {contracts,test,ops}/test-results/vitest*.json
# Who may import whom (docs/architecture.md): a broken rule fails the check.
depcruise apps packages contracts tooling test bench ops --config .dependency-cruiser.cjs
deps=$?

# The builds the tests serve (the two web apps, the SDK), once, before the two streams below.
turbo run build --concurrency=3 "$@"
status=$?

# The cross-process suite (test/e2e and test/chaos: whole systems of processes, one file
# at a time, about 7 minutes) is by far the longest task. It runs from the start, beside
# every other task, instead of waiting for a free slot; its output follows the others'.
# test/'s shorter files (browser/: the web apps in Chromium; sdk-package/: the packed
# SDK; three quick e2e files) run as `test:short` once the other packages are done, so
# the two streams end together.
e2e_log=$(mktemp)
turbo run test --filter=@claimwire/e2e --only --continue "$@" >"$e2e_log" 2>&1 &
e2e_pid=$!
# --continue: a failure in one package does not hide the results of the others.
turbo run typecheck lint test test:contract --filter='!@claimwire/e2e' --only --continue \
  --concurrency=2 "$@"
others=$?
turbo run typecheck lint test:contract test:short --filter=@claimwire/e2e --only --continue "$@"
e2e_checks=$?
wait "$e2e_pid"
e2e=$?
cat "$e2e_log"
rm -f "$e2e_log"

for s in $others $e2e_checks $e2e $deps; do [ "$status" -eq 0 ] && status=$s; done
node scripts/test-summary.mjs
exit $status
