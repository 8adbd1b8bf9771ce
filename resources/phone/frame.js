// The sensor frame a GroupLoop device publishes, with the firmware's scales: a port of
// relay/codec/sensorframe.cpp (accelToByte, rssiToByte, toHex) and relay/codec/roommodel.cpp
// (beaconBytesAt). No DOM: tests/simulator/tst_phonemodel.cpp runs it in QJSEngine against the C++.
(function (root) {
    'use strict';

    const STANDARD_GRAVITY = 9.80665; // m/s^2 per g, to turn devicemotion readings into g
    const ACCEL_RANGE_G = 2;
    const RSSI_FLOOR_DBM = -100;
    const RSSI_CEILING_DBM = -40;
    const TAP_BYTE = 0xff;

    // The room (relay/codec/roommodel.h): 800 x 600 cm, y southwards, beacons NW, NE, SE, SW.
    const ROOM_WIDTH = 800;
    const ROOM_HEIGHT = 600;
    const BEACONS = [[0, 0], [ROOM_WIDTH, 0], [ROOM_WIDTH, ROOM_HEIGHT], [0, ROOM_HEIGHT]];
    const TX_POWER_AT_1M_DBM = -59;
    const PATH_LOSS_EXPONENT = 2;
    const REFERENCE_DISTANCE = 100;

    function mapToByte(value, low, high) {
        const clamped = Math.min(Math.max(value, low), high);
        return Math.round(((clamped - low) * 255) / (high - low));
    }

    // -2..+2 g onto 0..255: 0 g = 128, +1 g = 191, -1 g = 64.
    function accelToByte(g) {
        return mapToByte(g, -ACCEL_RANGE_G, ACCEL_RANGE_G);
    }

    // -100..-40 dBm onto 0..255; higher is closer.
    function rssiToByte(dbm) {
        return mapToByte(dbm, RSSI_FLOOR_DBM, RSSI_CEILING_DBM);
    }

    function rssiAtDistance(distance) {
        const d = Math.max(distance, 1);
        return TX_POWER_AT_1M_DBM - 10 * PATH_LOSS_EXPONENT * Math.log10(d / REFERENCE_DISTANCE);
    }

    // Beacon bytes for a device at (x, y) in room centimetres; never 0 (0 means not heard).
    function beaconBytesAt(x, y) {
        return BEACONS.map(([bx, by]) => Math.max(1, rssiToByte(rssiAtDistance(Math.hypot(x - bx, y - by)))));
    }

    function hexByte(value) {
        return (value & 0xff).toString(16).padStart(2, '0');
    }

    // 20 lowercase hex digits, no newline. id is 4 hex digits; bytes are 0..255.
    function frameText(id, ax, ay, az, beacons, tap) {
        return id.toLowerCase() + [ax, ay, az, ...beacons, tap].map(hexByte).join('');
    }

    root.GroupLoop = root.GroupLoop || {};
    root.GroupLoop.frame = {
        STANDARD_GRAVITY, TAP_BYTE, ROOM_WIDTH, ROOM_HEIGHT, accelToByte, rssiToByte, rssiAtDistance,
        beaconBytesAt, frameText,
    };
})(typeof globalThis !== 'undefined' ? globalThis : this);
