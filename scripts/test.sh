#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine with JDK 17 and Maven:
# installs the servers the tests talk to, then unit tests and integration tests (mvn verify).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(mosquitto mosquitto-clients openssh-server openssh-client rsync sqlite3 prometheus chromium python3 python3-pycryptodome openssl iproute2)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

mvn -B -ntp verify "$@"
