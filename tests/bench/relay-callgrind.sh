#!/bin/sh
# Instruction count per delivered frame for grouploop-relay under callgrind, with the connect
# phase excluded: instrumentation is switched on only while relaybench is in its steady state.
# RELAY=<binary> overrides the relay executable.
# usage: relay-callgrind.sh <build-dir> <out-file> <devices> <hz> <subscribers> [relay args...]
set -eu
build=$1 out=$2 devices=$3 hz=$4 subs=$5
shift 5
port=$((20000 + $$ % 20000))
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out" \
    "${RELAY:-$build/bin/grouploop-relay}" --host 127.0.0.1 --port "$port" --log-level warning "$@" \
    >"$out.log" 2>&1 &
vg=$!
sleep 4
"$build/tests/relaybench" --url "ws://127.0.0.1:$port/" --devices "$devices" --hz "$hz" \
    --subscribers "$subs" --warmup 6 --seconds 8 >"$out.bench" 2>&1 &
bench=$!
sleep 5
callgrind_control -i on "$vg" >/dev/null 2>&1
t0=$(date +%s.%N)
sleep 6
callgrind_control -i off "$vg" >/dev/null 2>&1
t1=$(date +%s.%N)
wait "$bench" || true
kill -INT "$vg"
wait "$vg" || true
ir=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
cat "$out.bench"
echo "$ir $t0 $t1 $devices $hz $subs" | awk '{ s = $3 - $2; f = $4 * $5 * $6 * s;
    printf "\ncallgrind: %.0f Ir in %.2f s = %.0f Ir per delivered frame (at %d x %d Hz x %d)\n", $1, s, $1 / f, $4, $5, $6 }'
