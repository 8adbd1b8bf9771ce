#!/usr/bin/env bash
# Builds the .deb packages from a configured, built tree and checks what they install.
# usage: check_deb.sh BUILD_DIR WITH_CONSOLE(ON|OFF)
set -euo pipefail
build=$1
with_console=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$out" >"$out/cpack.log" 2>&1 || { cat "$out/cpack.log"; exit 1; }

fail() { echo "FAIL: $*"; exit 1; }
relay=$(ls "$out"/grouploop-relay_*.deb 2>/dev/null) || fail "no grouploop-relay package"
contents=$(dpkg-deb -c "$relay")
for path in ./usr/bin/grouploop-relay ./usr/bin/grouploop-sim ./usr/lib/systemd/system/grouploop-relay.service \
    ./usr/share/doc/grouploop-relay/relay.md; do
    grep -q " $path\$" <<<"$contents" || fail "grouploop-relay lacks $path"
done
depends=$(dpkg-deb -f "$relay" Depends)
# The relay implements WebSocket itself: Qt Core and Network are its whole Qt runtime.
grep -q libqt6network6 <<<"$depends" || fail "grouploop-relay does not depend on libqt6network6: $depends"
grep -q libhiredis <<<"$depends" || fail "grouploop-relay does not depend on libhiredis (cluster mode): $depends"

if [ "$with_console" = ON ]; then
    console=$(ls "$out"/grouploop-console_*.deb 2>/dev/null) || fail "no grouploop-console package"
    contents=$(dpkg-deb -c "$console")
    for path in ./usr/bin/grouploop-console ./usr/share/applications/grouploop-console.desktop \
        ./usr/share/icons/hicolor/scalable/apps/grouploop.svg; do
        grep -q " $path\$" <<<"$contents" || fail "grouploop-console lacks $path"
    done
    depends=$(dpkg-deb -f "$console" Depends)
    grep -q qml6-module-qtquick-controls <<<"$depends" || fail "grouploop-console misses its QML runtime: $depends"
fi
[ -z "$(ls "$out"/*unspecified* 2>/dev/null)" ] || fail "a package for an unnamed component was built"
echo "packages ok: $(cd "$out" && ls *.deb | tr '\n' ' ')"
