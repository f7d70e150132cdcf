#!/usr/bin/env bash
# Builds the jar and runs the all-in-one demo (role all: camera simulator, edge and server in one
# JVM, embedded defaults, nothing else to install). Records flow from data/edge.db to data/server.db;
# a status line every 10 s counts them. Stop with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -DskipTests package
exec java -jar target/lpr-gateway.jar "$@"
