#!/usr/bin/env bash
# Prints "<lines> <file>" for every .txt file in the directory $1, sorted by name.
set -eu
for f in $(ls "$1"/*.txt); do
  echo "$(wc -l < $f) $(basename $f)"
done
