#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "FAIL: $*" >&2; exit 1; }
dir=$(mktemp -d)
for i in 1 2 3 4 5 6 7 8; do touch -d "2026-01-0$i" "$dir/backup-$i.tar"; done
bash bin/rotate.sh "$dir"
[ "$(ls "$dir" | wc -l)" -eq 5 ] || fail "expected 5 backups, got $(ls "$dir")"
[ -e "$dir/backup-8.tar" ] && [ -e "$dir/backup-4.tar" ] && [ ! -e "$dir/backup-3.tar" ] || fail "wrong backups kept: $(ls "$dir")"
rm -rf "$dir"
echo ok
