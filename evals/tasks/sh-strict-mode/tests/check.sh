#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "FAIL: $*" >&2; exit 1; }
grep -q 'set -euo pipefail' bin/deploy.sh || fail 'no strict mode'
out=$(env -u DEPLOY_ENV bash bin/deploy.sh) || fail 'fails with DEPLOY_ENV unset'
[ "$out" = 'deploying to staging' ] || fail "got: $out"
out=$(DEPLOY_ENV=prod bash bin/deploy.sh)
[ "$out" = 'deploying to prod' ] || fail "got: $out"
echo ok
