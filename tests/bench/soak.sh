#!/usr/bin/env bash
# Soak: a grouploop-relay with a grouploop-sim swarm streaming through it for N minutes, measured
# by relaybench attached to the same relay (a few probe devices whose frames carry their send
# time, and the subscribers, which receive the swarm's frames too). Prints delivery and latency
# of the probe frames, the relay's counters, and its RSS at start and end (sampled every 10 s).
#
# usage: tests/bench/soak.sh [--build-dir build] [--minutes 10] [--devices 200] [--hz 20]
#                            [--subscribers 3] [--probes 20] [--seed 1] [--min-delivery 0.999]
# Exit status: 0 delivery at or above --min-delivery and nothing died; 1 delivery below it, or
# the relay or the swarm died or reconnected; 2 setup failure. Not part of the test command (it
# runs for minutes); figures in docs/reliability.md.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$root/build
minutes=10
devices=200
hz=20
subscribers=3
probes=20
seed=1
min_delivery=0.999
while [ $# -gt 0 ]; do
    case "$1" in
    --build-dir) build=$(cd "$2" && pwd) ;;
    --minutes) minutes=$2 ;;
    --devices) devices=$2 ;;
    --hz) hz=$2 ;;
    --subscribers) subscribers=$2 ;;
    --probes) probes=$2 ;;
    --seed) seed=$2 ;;
    --min-delivery) min_delivery=$2 ;;
    *)
        echo "soak: unknown argument $1 (see the header of $0)" >&2
        exit 2
        ;;
    esac
    shift 2
done

die() {
    echo "soak: $*" >&2
    exit 2
}
relay_bin=$build/bin/grouploop-relay
sim_bin=$build/bin/grouploop-sim
bench_bin=$build/tests/relaybench
for binary in "$relay_bin" "$sim_bin" "$bench_bin"; do
    [ -x "$binary" ] || die "$binary is missing: cmake --build $build --target grouploop-relay grouploop-sim relaybench"
done

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
work=$(mktemp -d /tmp/grouploop-soak.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
}
trap cleanup EXIT

port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=ws://127.0.0.1:$port/
http_get() { # path -> body on stdout; empty when the relay does not answer
    /usr/bin/python3 - "$port" "$1" <<'EOF'
import sys, urllib.request
try:
    print(urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}{sys.argv[2]}", timeout=2).read().decode())
except Exception:
    pass
EOF
}
json_field() { # json field -> value
    /usr/bin/python3 -c 'import json, sys; print(json.loads(sys.argv[1]).get(sys.argv[2], ""))' "$1" "$2"
}
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

"$relay_bin" --host 127.0.0.1 --port "$port" --log-level warning >"$work/relay.log" 2>&1 &
relay_pid=$!
pids+=("$relay_pid")
for _ in $(seq 50); do
    [ -n "$(http_get /health)" ] && break
    sleep 0.1
done
[ -n "$(http_get /health)" ] || die "the relay did not come up (log: $work/relay.log)"

"$sim_bin" --url "$url" --devices "$devices" --hz "$hz" --seed "$seed" >"$work/sim.log" 2>&1 &
sim_pid=$!
pids+=("$sim_pid")
for _ in $(seq 100); do
    [ "$(json_field "$(http_get /health)" devices)" = "$devices" ] && break
    sleep 0.2
done
[ "$(json_field "$(http_get /health)" devices)" = "$devices" ] || die "the swarm did not connect (log: $work/sim.log)"
# relaybench's probes are devices 0000..(probes-1) in hex; the swarm's ids must not collide.
collision=$(/usr/bin/python3 -c 'import json, sys
ids = [int(d["id"], 16) for d in json.loads(sys.argv[1])["devices"]]
print(" ".join(f"{i:04x}" for i in ids if i < int(sys.argv[2])))' "$(http_get /devices)" "$probes")
[ -z "$collision" ] || die "swarm device ids $collision collide with the probes; pick another --seed"

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "soak: relay pid $relay_pid on $url; swarm $devices x $hz Hz (seed $seed); $probes probes x $hz Hz;" \
    "$subscribers subscribers; $minutes min; load average $load_start"
(
    while kill -0 "$relay_pid" 2>/dev/null; do
        echo "$(date +%s) $(rss_kib "$relay_pid")"
        sleep 10
    done
) >"$work/rss.log" &
pids+=($!)

status=0
"$bench_bin" --url "$url" --relay-pid "$relay_pid" --devices "$probes" --hz "$hz" --subscribers "$subscribers" \
    --seconds "$((minutes * 60))" --warmup 10 --min-delivery "$min_delivery" >"$work/bench.out" 2>"$work/bench.err" ||
    status=$?
[ "$status" -le 1 ] || die "relaybench failed ($status): $(cat "$work/bench.err")"
health=$(http_get /health)
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

kill -0 "$relay_pid" 2>/dev/null || {
    echo "soak: FAIL: the relay died (log: $work/relay.log)"
    status=1
}
if kill -0 "$sim_pid" 2>/dev/null; then
    kill -TERM "$sim_pid"
    wait "$sim_pid" || {
        echo "soak: FAIL: grouploop-sim exited with $? (log: $work/sim.log)"
        status=1
    }
else
    echo "soak: FAIL: grouploop-sim died (log: $work/sim.log)"
    status=1
fi
sim_summary=$(tail -n 1 "$work/sim.log")
reconnects=$(grep -o 'reconnects [0-9]*' "$work/sim.log" | tail -n 1 | cut -d' ' -f2)
if [ "${reconnects:-0}" != 0 ]; then
    echo "soak: FAIL: the swarm reconnected $reconnects times"
    status=1
fi

cat "$work/bench.out"
echo "swarm: $sim_summary"
echo "relay: frames_in=$(json_field "$health" frames_in) frames_out=$(json_field "$health" frames_out)" \
    "frames_coalesced=$(json_field "$health" frames_coalesced) connections=$(json_field "$health" connections)"
# RSS from the first sample inside the measurement window (after the 10 s warm-up) to the last.
/usr/bin/python3 - "$work/rss.log" <<'EOF'
import sys
samples = [tuple(map(int, line.split())) for line in open(sys.argv[1]) if len(line.split()) == 2]
t0 = samples[0][0]
window = [s for s in samples if s[0] - t0 >= 20] or samples
start, end = window[0][1], window[-1][1]
peak = max(s[1] for s in window)
print(f"relay rss: start={start}KiB end={end}KiB max={peak}KiB drift={end - start:+d}KiB "
      f"over {(window[-1][0] - window[0][0]) / 60:.1f} min ({len(window)} samples, every 10 s)")
EOF
echo "load average: start $load_start, end $load_end; logs in $work"
if [ "$status" -eq 1 ]; then
    echo "soak: FAIL (delivery below $min_delivery, or a process died; see above)"
else
    echo "soak: ok"
fi
exit "$status"
