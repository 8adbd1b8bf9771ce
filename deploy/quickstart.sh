#!/usr/bin/env bash
# GroupLoop quick start for Debian 12 (bookworm): installs what is missing, builds, then
#   run   launches grouploop-console with its built-in relay and a demo swarm of 20 devices
#   test  runs the whole test suite (benchmarks excluded; see docs/performance.md), then again
#         under ASan+UBSan (docs/reliability.md)
#   build only builds
# Run as root, or as a user with sudo, from anywhere inside the checkout.
set -euo pipefail

mode=${1:-}
case "$mode" in
run | test | build) ;;
*)
    echo "usage: $0 run|test|build" >&2
    exit 2
    ;;
esac

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
build_dir=${GROUPLOOP_BUILD_DIR:-$root/build}

packages=(
    cmake ninja-build g++ pkg-config zlib1g-dev libhiredis-dev libssl-dev librtmidi-dev qtkeychain-qt6-dev libqrencode-dev
    qt6-base-dev qt6-websockets-dev qt6-declarative-dev qt6-declarative-dev-tools
    qml6-module-qtquick qml6-module-qtqml qml6-module-qtqml-models qml6-module-qtqml-workerscript
    qml6-module-qtquick-controls qml6-module-qtquick-layouts qml6-module-qtquick-window
    qml6-module-qtquick-templates qml6-module-qtquick-shapes qml6-module-qtquick-dialogs
    qml6-module-qt-labs-folderlistmodel
    qml6-module-qttest libgl-dev
)
if [ "$mode" = test ]; then
    # Test peers, a virtual X server, clang's libFuzzer for the fuzz run, openssl for test
    # certificates, Redis for the cluster test, headless Chromium for the browser tests
    # (tests/browser drives it over the DevTools protocol with Qt WebSockets: nothing else to install),
    # liblo as an independent OSC implementation (tests/outputs/tst_oscinterop.cpp), zbar-tools as
    # the QR scanner that reads the Join dialog's code back (tests/console/tst_joinlinks.cpp).
    packages+=(xvfb xauth python3-websockets clang libclang-rt-14-dev dpkg-dev file openssl redis-server chromium liblo-dev
        zbar-tools)
fi

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "quickstart: installing ${missing[*]}"
    if [ "$(id -u)" -eq 0 ]; then
        sudo=()
    elif command -v sudo >/dev/null; then
        sudo=(sudo)
    else
        echo "quickstart: these Debian packages are missing and I am not root: ${missing[*]}" >&2
        exit 1
    fi
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
fi

# Each stage says when it ends, so a slow run shows where the time went.
elapsed() { echo "quickstart: $1 (${SECONDS} s since the start)"; }

jobs=$(nproc)
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build_dir" -j "$jobs"
elapsed "built $build_dir"

case "$mode" in
build) ;;
run)
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
        echo "quickstart: no display (DISPLAY is unset). Run this from a desktop session," >&2
        echo "            or run the relay headless: $build_dir/bin/grouploop-relay" >&2
        exit 1
    fi
    exec "$build_dir/bin/grouploop-console" --demo 20
    ;;
test)
    # Many sockets in the load and fault tests.
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    # Tests that need a real window get a virtual X server.
    if [ -z "${DISPLAY:-}" ]; then
        display=:$((90 + RANDOM % 100))
        Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
        xvfb_pid=$!
        trap 'kill $xvfb_pid 2>/dev/null || true' EXIT
        export DISPLAY=$display
    fi
    # A bounded libFuzzer run of each fuzz target (clang build; see tests/fuzz and docs/reliability.md).
    fuzz_dir=${build_dir}-fuzz
    cmake -S "$root" -B "$fuzz_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
        -DGROUPLOOP_FUZZ=ON -DGROUPLOOP_FUZZ_SECONDS="${GROUPLOOP_FUZZ_SECONDS:-15}" >/dev/null
    cmake --build "$fuzz_dir" -j "$jobs" --target fuzz_sensorframe fuzz_inbound fuzz_httphead fuzz_registry fuzz_wsframe fuzz_tlsserver fuzz_tlsrecord fuzz_osc fuzz_webrootpath
    elapsed "built the fuzz targets"
    # Each fuzzer runs for a fixed time on one core: two at once take half as long.
    ctest --test-dir "$fuzz_dir" --output-on-failure -j "$jobs"
    elapsed "fuzzed"
    # The whole suite, benchmarks excluded.
    ctest --test-dir "$build_dir" --output-on-failure --label-exclude bench --timeout 600
    elapsed "ran the suite"
    # The whole suite again, built with AddressSanitizer + UndefinedBehaviorSanitizer (g++),
    # console included; options and suppressions in tests/sanitizers (docs/reliability.md).
    asan_dir=${build_dir}-asan
    cmake -S "$root" -B "$asan_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGROUPLOOP_SANITIZE=ON \
        -DGROUPLOOP_BUILD_BENCHMARKS=OFF >/dev/null
    cmake --build "$asan_dir" -j "$jobs"
    elapsed "built $asan_dir"
    ctest --test-dir "$asan_dir" --output-on-failure --label-exclude bench --timeout 900
    elapsed "ran the suite under sanitizers"
    # A report from a child process (a relay or simulator a test started) need not fail its test.
    if grep -E "ERROR: (Address|Leak)Sanitizer|runtime error:" "$asan_dir/Testing/Temporary/LastTest.log"; then
        echo "quickstart: sanitizer reports above (full output: $asan_dir/Testing/Temporary/LastTest.log)" >&2
        exit 1
    fi
    ;;
esac
