#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "FAIL: $*" >&2; exit 1; }
dir="$(mktemp -d)/my files"
mkdir -p "$dir"
printf 'x\ny\n' > "$dir/a b.txt"
printf 'z\n' > "$dir/c.txt"
out=$(bash bin/count.sh "$dir")
[ "$out" = "$(printf '2 a b.txt\n1 c.txt')" ] || fail "got: $out"
echo ok
