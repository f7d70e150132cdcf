#!/usr/bin/env bash
# Benchmark: how fast an edge drains a backlog of detection rows to a server, per transport, and
# the edge's resident memory while doing it. Edge (-Xmx128m, serial GC, as on a Raspberry Pi) and
# server run as separate processes on loopback; MQTT goes through a local Mosquitto.
#   usage: bench/drain-backlog.sh [rows] [transport ...]      (default: 10000 rest websocket mqtt)
#   EDGE_JAVA_OPTS overrides the edge's JVM flags (default: -Xmx128m -XX:+UseSerialGC), SERVER_JAVA_OPTS
#   the server's (default: -Xmx256m -XX:+UseSerialGC); for a profile add for example
#   -XX:StartFlightRecording=filename=/tmp/edge.jfr,settings=profile. EDGE_ARGS and SERVER_ARGS add
#   settings (--key=value ...) to each process's command line.
# Needs target/lpr-gateway.jar (mvn -DskipTests package), python3 and, for mqtt, mosquitto.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-10000}
shift || true
TRANSPORTS=${*:-rest websocket mqtt}
JAR=target/lpr-gateway.jar
[ -f "$JAR" ] || { echo "build first: mvn -DskipTests package" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$1/health" >/dev/null && return 0; sleep 0.5; done; echo "no answer on $1" >&2; exit 1; }
# CPU seconds (user + system) a process has used so far
cpu() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"; }
count() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1], timeout=5).execute(sys.argv[2]).fetchone()[0])" "$1" "$2"; }

echo "| transport | rows | seconds | rows/s | edge peak RSS (MB) | edge CPU ms/row | server CPU ms/row |"
echo "|---|---|---|---|---|---|---|"
for t in $TRANSPORTS; do
  dir=$(mktemp -d /tmp/lpr-bench.XXXX)
  pids=()
  key=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
  printf 'bench = cameras:%s\n' "$key" > "$dir/api-keys.properties"
  broker_port=$(free_port); http_s=$(free_port); ws_s=$(free_port); http_e=$(free_port)
  if [ "$t" = mqtt ]; then
    printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location %s/\nuser %s\nmax_inflight_messages 100\nmax_queued_messages 1000000\n' \
      "$broker_port" "$dir" "$(id -un)" > "$dir/mosquitto.conf"
    /usr/sbin/mosquitto -c "$dir/mosquitto.conf" > "$dir/mosquitto.log" 2>&1 & pids+=($!)
    sleep 1
  fi
  java ${SERVER_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC} -jar "$JAR" --role=server --security.apiKeysFile="$dir/api-keys.properties" --gateway.http.port="$http_s" --websocket.port="$ws_s" \
    --server.db.path="$dir/server.db" --mqtt.brokerUrl="tcp://127.0.0.1:$broker_port" --mqtt.server.clientId="bench-$t" ${SERVER_ARGS:-} \
    > "$dir/server.log" 2>&1 & server=$!; pids+=($server)
  wait_http "$http_s"
  # the camera application's database exists before the gateway starts (flat layout)
  python3 -c "import sqlite3,sys; sqlite3.connect(sys.argv[1]).executescript(open(sys.argv[2]).read())" "$dir/edge.db" routes/camera/flat/create.sql
  # shellcheck disable=SC2086
  SECURITY_CLIENT_APIKEY="$key" java ${EDGE_JAVA_OPTS:--Xmx128m -XX:+UseSerialGC} -jar "$JAR" --role=edge --gateway.http.port="$http_e" --edge.db.path="$dir/edge.db" \
    --gateway.transport.pinned="$t" --rest.url="http://127.0.0.1:$http_s/api/lpr/data" --websocket.url="ws://127.0.0.1:$ws_s/" \
    --mqtt.brokerUrl="tcp://127.0.0.1:$broker_port" --network.probe.url="http://127.0.0.1:$http_s/health" \
    --outbox.pollInterval=100 --outbox.batchSize=500 ${EDGE_ARGS:-} > "$dir/edge.log" 2>&1 & edge=$!; pids+=($edge)
  wait_http "$http_e"
  until [ "$(count "$dir/edge.db" 'SELECT count(*) FROM sqlite_master WHERE name="detection_results"')" = 1 ]; do sleep 0.2; done
  python3 - "$dir/edge.db" "$ROWS" <<'PY'
import sqlite3, sys, datetime
c = sqlite3.connect(sys.argv[1], timeout=10)
now = datetime.datetime.now().isoformat()
c.executemany("INSERT INTO detection_results (license_plate, confidence, checkpoint_id, timestamp, hostname, vehicle_type, vehicle_color) "
              "VALUES (?, 88.0, 'CP001', ?, 'bench', 'car', 'white')", [("กข %d" % i, now) for i in range(int(sys.argv[2]))])
c.commit()
PY
  start=$(date +%s.%N); peak=0; edge_cpu0=$(cpu "$edge"); server_cpu0=$(cpu "$server")
  while [ "$(count "$dir/edge.db" 'SELECT count(*) FROM detection_results WHERE sent_to_server = 0')" != 0 ]; do
    rss=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$edge/status); [ "$rss" -gt "$peak" ] && peak=$rss
    sleep 0.2
  done
  end=$(date +%s.%N)
  until [ "$(count "$dir/server.db" 'SELECT count(*) FROM lpr_detections')" -ge "$ROWS" ]; do sleep 0.2; done
  edge_ms=$(python3 -c "print(round(($(cpu "$edge") - $edge_cpu0) * 1000 / $ROWS, 2))")
  server_ms=$(python3 -c "print(round(($(cpu "$server") - $server_cpu0) * 1000 / $ROWS, 2))")
  secs=$(python3 -c "print(round($end - $start, 1))")
  echo "| $t | $ROWS | $secs | $(python3 -c "print(int($ROWS / ($end - $start)))") | $peak | $edge_ms | $server_ms |"
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$dir"
done
