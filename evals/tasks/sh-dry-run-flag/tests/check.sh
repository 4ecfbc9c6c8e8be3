#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "FAIL: $*" >&2; exit 1; }
dir=$(mktemp -d)
touch "$dir/a.tmp" "$dir/keep.txt"
out=$(bash bin/clean.sh --dry-run "$dir")
[ -e "$dir/a.tmp" ] || fail "dry run deleted a.tmp"
[ "$out" = "$dir/a.tmp" ] || fail "dry run printed: $out"
bash bin/clean.sh "$dir" >/dev/null
[ ! -e "$dir/a.tmp" ] || fail "a.tmp not deleted"
[ -e "$dir/keep.txt" ] || fail "keep.txt deleted"
echo ok
