#!/usr/bin/env bash
# Benchmark: how fast an edge drains a backlog of plate images to a server, per file transport,
# and the edge's resident memory while doing it. Edge (-Xmx128m, serial GC) and server run as
# separate processes on loopback; the server runs the embedded SFTP server (Apache MINA SSHD) and
# rsync copies into its upload folder locally (rsync over ssh needs an sshd: ImageTransferIT).
#   usage: bench/drain-images.sh [images] [transport ...]      (default: 1000 sftp rsync)
#   EDGE_JAVA_OPTS overrides the edge's JVM flags (default: -Xmx128m -XX:+UseSerialGC)
# Needs target/lpr-gateway.jar (mvn -DskipTests package), python3 and rsync.
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGES=${1:-1000}
shift || true
TRANSPORTS=${*:-sftp rsync}
JAR=target/lpr-gateway.jar
[ -f "$JAR" ] || { echo "build first: mvn -DskipTests package" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$1/health" >/dev/null && return 0; sleep 0.5; done; echo "no answer on $1" >&2; exit 1; }
count() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1], timeout=5).execute(sys.argv[2]).fetchone()[0])" "$1" "$2"; }

frames=$(mktemp -d /tmp/lpr-bench-frames.XXXX)
java bench/GenImages.java "$frames" "$IMAGES"
mb=$(du -sm "$frames" | cut -f1)
echo "$IMAGES camera frames of 1280x960, $mb MB in all"
echo
echo "| transport | images | seconds | images/s | MB/s | edge peak RSS (MB) |"
echo "|---|---|---|---|---|---|"
for t in $TRANSPORTS; do
  dir=$(mktemp -d /tmp/lpr-bench.XXXX)
  pids=()
  key=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
  printf 'bench = cameras:%s\n' "$key" > "$dir/api-keys.properties"
  http_s=$(free_port); ws_s=$(free_port); http_e=$(free_port); sftp_port=$(free_port)
  mkdir -p "$dir/keys"
  java -Xmx256m -XX:+UseSerialGC -jar "$JAR" --role=server --security.apiKeysFile="$dir/api-keys.properties" --gateway.http.port="$http_s" --websocket.port="$ws_s" \
    --server.db.path="$dir/server.db" --mqtt.brokerUrl="tcp://127.0.0.1:1" \
    --server.imageDir="$dir/server-images" --server.imageInbox="$dir/upload/incoming" --server.imageInboxPollMillis=200 \
    --sftp.embedded.enabled=true --sftp.embedded.port="$sftp_port" --sftp.embedded.root="$dir/upload" \
    --sftp.embedded.hostKeyFile="$dir/sftp/host-key" --sftp.embedded.authorizedKeysFile="$dir/sftp/authorized_keys" \
    --sftp.embedded.trustedKeyFile="$dir/keys/edge-key.pub" --sftp.embedded.knownHostsFile="$dir/keys/known_hosts" \
    --sftp.host=127.0.0.1 > "$dir/server.log" 2>&1 & pids+=($!)
  wait_http "$http_s"
  # shellcheck disable=SC2086
  SECURITY_CLIENT_APIKEY="$key" java ${EDGE_JAVA_OPTS:--Xmx128m -XX:+UseSerialGC} -jar "$JAR" --role=edge --gateway.http.port="$http_e" --edge.db.path="$dir/edge.db" \
    --gateway.transport.pinned=rest --rest.url="http://127.0.0.1:$http_s/api/lpr/data" --mqtt.brokerUrl="tcp://127.0.0.1:1" \
    --network.probe.url="http://127.0.0.1:$http_s/health" --images.dir="$frames" --images.stagingDir="$dir/staging" \
    --images.pollInterval=200 --images.batchSize=200 --gateway.files.pinned="$t" \
    --sftp.host=127.0.0.1 --sftp.port="$sftp_port" --sftp.privateKeyFile="$dir/keys/edge-key" \
    --sftp.knownHostsFile="$dir/keys/known_hosts" ${EDGE_EXTRA:-} --rsync.target="$dir/upload/incoming/" \
    > "$dir/edge.log" 2>&1 & edge=$!; pids+=($edge)
  wait_http "$http_e"
  until [ "$(count "$dir/edge.db" 'SELECT count(*) FROM sqlite_master WHERE name="detection_results"')" = 1 ]; do sleep 0.2; done
  python3 - "$dir/edge.db" "$IMAGES" "$frames" <<'PY'
import sqlite3, sys, datetime
c = sqlite3.connect(sys.argv[1], timeout=10)
now = datetime.datetime.now().isoformat()
c.executemany("INSERT INTO detection_results (license_plate, confidence, checkpoint_id, timestamp, hostname, image_path) "
              "VALUES (?, 80.0, 'CP001', ?, 'bench', ?)", [("กข %d" % i, now, "%s/img_%d.jpg" % (sys.argv[3], i)) for i in range(int(sys.argv[2]))])
c.commit()
PY
  start=$(date +%s.%N); peak=0
  while [ "$(count "$dir/server.db" "SELECT count(*) FROM lpr_detections WHERE image_state = 'received'")" -lt "$IMAGES" ]; do
    rss=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$edge/status); [ "$rss" -gt "$peak" ] && peak=$rss
    if [ "$(count "$dir/edge.db" "SELECT count(*) FROM detection_results WHERE image_state = 'parked'")" != 0 ]; then
      echo "images parked: see $dir/edge.log" >&2; exit 1
    fi
    sleep 0.2
  done
  end=$(date +%s.%N)
  python3 -c "s=$end-$start; print('| $t | $IMAGES | %.1f | %d | %.1f | $peak |' % (s, $IMAGES/s, $mb/s))"
  [ -n "${BENCH_KEEP:-}" ] && curl -s "http://127.0.0.1:$http_e/metrics" | grep -E "^lpr_transport_latency_seconds_(sum|count)" > /tmp/bench-latency.txt
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$dir"
done
rm -rf "$frames"
