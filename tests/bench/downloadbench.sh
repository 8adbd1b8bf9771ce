#!/bin/sh
# What file downloads cost the sensor frames (docs/performance.md, docs/hub.md): one relay with
# --web-root, 300 devices x 50 Hz x 5 subscribers (relaybench --url), frame latency p99 first
# alone, then while 30 clients download a 1.7 MB firmware image from the same relay over and over
# (keep-alive, as phones fetching an ota image would). Each downloader reads at most RATE MB/s
# (default 2: 60 MB/s in all, more than a room's Wi-Fi carries; 0: as fast as it can, which on
# loopback measures mostly the CPU the 30 readers take from the relay).
# usage: tests/bench/downloadbench.sh [build-dir] [seconds per run] [rate]
set -eu
build=$(cd "${1:-build}" && pwd)
seconds=${2:-10}
rate=${3:-2}
work=$(mktemp -d)
relay=
fetchers=
cleanup() {
    [ -n "$fetchers" ] && kill "$fetchers" 2>/dev/null || true
    [ -n "$relay" ] && kill "$relay" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

mkdir -p "$work/root/firmware"
head -c 1782579 /dev/urandom >"$work/root/firmware/fw.bin"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$build/bin/grouploop-relay" --host 127.0.0.1 --port "$port" --web-root "$work/root" --log-level warning &
relay=$!
python3 - "$port" <<'PY'
import sys, time, urllib.request
for _ in range(100):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/health", timeout=1).read()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit("downloadbench: the relay did not come up")
PY

load() {
    "$build/tests/relaybench" --url "ws://127.0.0.1:$port/" --relay-pid "$relay" \
        --devices 300 --hz 50 --subscribers 5 --seconds "$seconds" --warmup 2
}

echo "== frames alone"
load

# 30 downloaders, each on one kept-alive connection, fetching the image again and again.
python3 - "$port" "$work/done" "$rate" <<'PY' &
import http.client, sys, threading, time
port, done, rate = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]) * 1e6
total = [0] * 30
files = [0] * 30
stop = time.monotonic() + 3600
def fetch(i):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < stop:
        connection.request("GET", "/static/firmware/fw.bin")
        response = connection.getresponse()
        began = time.monotonic()
        got = 0
        while True:
            piece = response.read(65536)
            if not piece:
                break
            got += len(piece)
            total[i] += len(piece)
            if rate > 0: # a phone's pace: the relay's socket backs up and its stream waits
                time.sleep(max(0.0, began + got / rate - time.monotonic()))
        files[i] += 1
start = time.monotonic()
for i in range(30):
    threading.Thread(target=fetch, args=(i,), daemon=True).start()
try:
    while True:
        time.sleep(1)
        with open(done, "w") as out:
            seconds = time.monotonic() - start
            out.write(f"{sum(files)} images ({sum(total) / 1e6:.0f} MB) in {seconds:.0f} s: "
                      f"{sum(total) / 1e6 / seconds:.0f} MB/s over 30 connections\n")
except KeyboardInterrupt:
    pass
PY
fetchers=$!
sleep 2
echo "== frames while 30 clients download a 1.7 MB image (at most $rate MB/s each; 0: unpaced)"
load
echo "== downloads during that run"
cat "$work/done"
