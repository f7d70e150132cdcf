#!/usr/bin/env bash
# Builds and starts the Hawtio console on this machine (no Docker): http://127.0.0.1:8081/ opens a
# connection to the gateway's Jolokia, which asks for the gateway's credential (user operator,
# password its key). Arguments: [--host 127.0.0.1] [--port 8081] [name=]URL ..., one URL per
# gateway (default http://127.0.0.1:8000/observe/jolokia, the demo). Stop with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -f tools/hawtio/pom.xml package
exec java ${HAWTIO_JAVA_OPTS:--Xmx256m} -cp "tools/hawtio/target/classes:tools/hawtio/target/lib/*" \
    org.lprgateway.hawtio.HawtioConsole "$@"
