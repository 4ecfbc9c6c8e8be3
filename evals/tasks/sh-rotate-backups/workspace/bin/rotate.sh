#!/usr/bin/env bash
# Deletes all but the newest 5 backups (backup-*.tar) in the directory $1.
set -eu
cd "$1"
ls -1t backup-*.tar | tail -n +7 | while read -r old; do rm -- "$old"; done
