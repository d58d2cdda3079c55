#!/bin/sh
# Java for the Nu HTML checker (vnu-jar): Debian's default-jre-headless, installed by `make setup`
# when no `java` is found. apt-get needs root: without it this says what to run, and fails.
set -e
if command -v java >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ]; then
  apt-get install -y --no-install-recommends default-jre-headless
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo apt-get install -y --no-install-recommends default-jre-headless
else
  echo "The Nu HTML checker needs Java: run  sudo apt-get install default-jre-headless  and then  make setup" >&2
  exit 1
fi
