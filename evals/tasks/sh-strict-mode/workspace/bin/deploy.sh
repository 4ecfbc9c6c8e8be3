#!/usr/bin/env bash
# Prints the deploy target: $DEPLOY_ENV, else "staging".
if [ -n "$DEPLOY_ENV" ]; then
  target="$DEPLOY_ENV"
else
  target=staging
fi
false | cat
echo "deploying to $target"
