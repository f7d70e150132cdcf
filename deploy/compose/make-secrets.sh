#!/bin/sh
# Writes the credentials docker-compose.yml's services share, once, into the volume mounted at
# /secrets (files readable by their owner only): the API key file both gateways read, the edge's
# camera key, Prometheus' viewer key and the MQTT signing key. Print the operator's key with
#   docker compose run --rm secrets cat /secrets/operator-key
set -eu
umask 077
cd "${SECRETS_DIR:-/secrets}"
if [ -s api-keys.properties ]; then
    echo "credentials exist in /secrets: kept"
    exit 0
fi
key() { head -c 32 /dev/urandom | base64 | tr -d '/+=\n'; }
operator=$(key); viewer=$(key); camera=$(key)
printf '%s' "$operator" > operator-key
printf '%s' "$viewer" > viewer-key
printf '%s' "$camera" > camera-key
key > signing-key
printf 'operator = operator:%s\nprometheus = viewer:%s\nCAM001 = camera:%s\n' "$operator" "$viewer" "$camera" > api-keys.properties
# the gateways run as root in their image; Prometheus reads its key as user nobody
chmod 644 viewer-key
echo "credentials written to /secrets (operator's key: /secrets/operator-key)"
