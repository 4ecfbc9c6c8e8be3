#!/usr/bin/env bash
# Usage: clean.sh DIR - deletes *.tmp files in DIR.
set -eu
dir="$1"
find "$dir" -name '*.tmp' -type f -print -delete
