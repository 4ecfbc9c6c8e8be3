#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "FAIL: $*" >&2; exit 1; }
out=$(bash bin/greet 'Ada Lovelace' 'x  y')
[ "$out" = "$(printf 'Hello, Ada Lovelace!\nHello, x  y!')" ] || fail "got: $out"
echo ok
