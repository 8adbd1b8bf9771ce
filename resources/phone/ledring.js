// The device's ring of 6 RGB LEDs as the firmware draws it, and the commands that change it:
// a line-for-line port of simulator/ledring.cpp (LedRing) and of the LED and vibration part of
// simulator/virtualdevice.cpp (VirtualDevice::applyCommand). No DOM and no clock: callers pass
// whole milliseconds, so tests/simulator/tst_phonemodel.cpp can run this file in QJSEngine and
// compare every colour with the C++ at the same instants. Keep the two in step.
(function (root) {
    'use strict';

    const COUNT = 6;
    const BREATHING_PERIOD_MS = 2000;
    const HEARTBEAT_DARK_MS = 2000;
    const HEARTBEAT_PERIOD_MS = 2000 + 60 + 150 + 100 + 60 + 400;
    const CYCLE_STEP_MS = 100;
    const PATTERNS = ['breathing', 'heartbeat', 'solid', 'cycle', 'spring', 'off'];

    const RED = Object.freeze({ r: 255, g: 0, b: 0 });
    const WHITE = Object.freeze({ r: 255, g: 255, b: 255 });
    const BLACK = Object.freeze({ r: 0, g: 0, b: 0 });

    // Exactly 6 hex digits, no '#', as `led` and `led_set` carry them; null otherwise.
    function rgbFromHex(text) {
        if (typeof text !== 'string' || !/^[0-9a-fA-F]{6}$/.test(text))
            return null;
        const n = parseInt(text, 16);
        return { r: (n >> 16) & 0xff, g: (n >> 8) & 0xff, b: n & 0xff };
    }

    function rgbToHex(c) {
        return [c.r, c.g, c.b].map((v) => v.toString(16).padStart(2, '0')).join('');
    }

    // factor clamped to 0..1, rounded per channel (Math.round equals std::lround for x >= 0).
    function scaled(c, factor) {
        const f = Math.min(Math.max(factor, 0), 1);
        return { r: Math.round(c.r * f), g: Math.round(c.g * f), b: Math.round(c.b * f) };
    }

    function breathingLevel(elapsedMs) {
        // Starts dark, peaks at half the period.
        const phase = (elapsedMs % BREATHING_PERIOD_MS) / BREATHING_PERIOD_MS;
        return 0.5 - 0.5 * Math.cos(2 * Math.PI * phase);
    }

    function ramp(t, from, length) {
        return (t - from) / length;
    }

    function heartbeatLevel(elapsedMs) {
        const t = elapsedMs % HEARTBEAT_PERIOD_MS;
        const in1 = HEARTBEAT_DARK_MS, out1 = in1 + 60, pause = out1 + 150, in2 = pause + 100, out2 = in2 + 60;
        if (t < in1)
            return 0;
        if (t < out1)
            return ramp(t, in1, 60);
        if (t < pause)
            return 1 - ramp(t, out1, 150);
        if (t < in2)
            return 0;
        if (t < out2)
            return ramp(t, in2, 60);
        return 1 - ramp(t, out2, 400);
    }

    function cycleIndex(elapsedMs) {
        return Math.floor(elapsedMs / CYCLE_STEP_MS) % COUNT;
    }

    // `spring_param` payload KKDDMM: k = KK/10, damping = DD/10, mass = MM/10 + 0.1.
    function springFromHex(text) {
        if (typeof text !== 'string' || !/^[0-9a-fA-F]{6}$/.test(text))
            return null;
        const byte = (i) => parseInt(text.substr(i, 2), 16);
        return { k: byte(0) / 10, damping: byte(2) / 10, mass: byte(4) / 10 + 0.1 };
    }

    // m x'' + c x' + k x = 0 with x(0) = 1, x'(0) = 0, in closed form (SpringParams::displacement).
    function springDisplacement(spring, t) {
        const gamma = spring.damping / (2 * spring.mass);
        const omega0Sq = spring.k / spring.mass;
        const discriminant = omega0Sq - gamma * gamma;
        if (discriminant > 1e-12) {
            const omega = Math.sqrt(discriminant);
            return Math.exp(-gamma * t) * (Math.cos(omega * t) + (gamma / omega) * Math.sin(omega * t));
        }
        if (discriminant > -1e-12)
            return Math.exp(-gamma * t) * (1 + gamma * t);
        const rootDisc = Math.sqrt(-discriminant);
        const r1 = -gamma + rootDisc;
        const r2 = -gamma - rootDisc;
        return (r2 * Math.exp(r1 * t) - r1 * Math.exp(r2 * t)) / (r2 - r1);
    }

    class LedRing {
        constructor() {
            // Boot state: red breathing, brightness 255; each pattern keeps its own colour.
            this.pattern = 'breathing';
            this.colours = { breathing: RED, heartbeat: RED, solid: WHITE, cycle: WHITE, spring: WHITE, off: BLACK };
            this.leds = new Array(COUNT).fill(BLACK);
            this.perLed = false;
            this.brightness = 255;
            this.spring = { k: 20.1, damping: 2.0, mass: 1.0 };
            this.startMs = 0;
        }

        colour() {
            return this.colours[this.pattern];
        }

        setPattern(name, nowMs) {
            this.pattern = name;
            this.perLed = false;
            this.startMs = nowMs;
        }

        restart(nowMs) {
            this.startMs = nowMs;
        }

        setColour(rgb) {
            this.colours[this.pattern] = rgb;
            this.perLed = false;
        }

        setBrightness(value) {
            this.brightness = Math.min(Math.max(value, 0), 255);
        }

        setLed(index, rgb) {
            if (index < 0 || index >= COUNT)
                return;
            this.perLed = true;
            this.leds[index] = rgb;
        }

        setAllLedsOff() {
            this.perLed = true;
            this.leds.fill(BLACK);
        }

        // What the six LEDs show at `nowMs` (whole milliseconds), brightness applied.
        coloursAt(nowMs) {
            const gain = this.brightness / 255;
            if (this.perLed)
                return this.leds.map((c) => scaled(c, gain));
            const elapsed = Math.max(0, nowMs - this.startMs);
            const colour = this.colour();
            const all = (c) => new Array(COUNT).fill(c);
            switch (this.pattern) {
            case 'breathing':
                return all(scaled(colour, gain * breathingLevel(elapsed)));
            case 'heartbeat':
                return all(scaled(colour, gain * heartbeatLevel(elapsed)));
            case 'solid':
                return all(scaled(colour, gain));
            case 'cycle': {
                const out = all(BLACK);
                out[cycleIndex(elapsed)] = scaled(colour, gain);
                return out;
            }
            case 'spring':
                return all(scaled(colour, gain * Math.abs(springDisplacement(this.spring, elapsed / 1000))));
            default:
                return all(BLACK);
            }
        }
    }

    // QString::toInt(&ok, 10) after trimmed(): optional sign, decimal digits, fits in an int.
    function decimal(text) {
        const t = text.trim();
        if (!/^[+-]?[0-9]+$/.test(t))
            return null;
        const value = Number(t);
        return value >= -2147483648 && value <= 2147483647 ? value : null;
    }

    function ledIndex(text) {
        const index = decimal(text);
        return index === null || index < 0 || index >= COUNT ? null : index;
    }

    // A command as the relay delivers it ("<command>:<params>"), applied as the firmware would.
    // Returns { applied, vibrateMs }: applied is false for unknown text or bad parameters (the
    // firmware ignores those); vibrateMs is the motor time for `vibrate`, else null. `ota` is
    // not applied: a phone cannot flash firmware.
    function applyCommand(ring, text, nowMs) {
        const colon = text.indexOf(':');
        const command = colon < 0 ? text : text.slice(0, colon);
        const params = colon < 0 ? '' : text.slice(colon + 1);
        const ignored = { applied: false, vibrateMs: null };
        const applied = { applied: true, vibrateMs: null };
        switch (command) {
        case 'led': {
            const colour = rgbFromHex(params);
            if (!colour)
                return ignored;
            ring.setColour(colour);
            return applied;
        }
        case 'pattern':
            if (!PATTERNS.includes(params))
                return ignored;
            ring.setPattern(params, nowMs);
            return applied;
        case 'brightness': {
            const value = decimal(params);
            if (value === null)
                return ignored;
            ring.setBrightness(value);
            return applied;
        }
        case 'spring_param': {
            const spring = springFromHex(params);
            if (!spring)
                return ignored;
            ring.spring = spring;
            return applied;
        }
        case 'vibrate': {
            const ms = decimal(params);
            if (ms === null || ms < 0)
                return ignored;
            return { applied: true, vibrateMs: ms };
        }
        case 'reset':
            ring.restart(nowMs);
            return applied;
        case 'status':
        case 'led_get_state':
            return applied; // serial output on the firmware: nothing visible changes
        case 'led_set': {
            const split = params.indexOf(':');
            const index = split < 0 ? null : ledIndex(params.slice(0, split));
            const colour = split < 0 ? null : rgbFromHex(params.slice(split + 1));
            if (index === null || !colour)
                return ignored;
            ring.setLed(index, colour);
            return applied;
        }
        case 'led_off': {
            const index = ledIndex(params);
            if (index === null)
                return ignored;
            ring.setLed(index, BLACK);
            return applied;
        }
        case 'led_all_off':
            ring.setAllLedsOff();
            return applied;
        default:
            return ignored;
        }
    }

    root.GroupLoop = root.GroupLoop || {};
    root.GroupLoop.LedRing = LedRing;
    root.GroupLoop.led = {
        COUNT, PATTERNS, HEARTBEAT_PERIOD_MS, rgbFromHex, rgbToHex, scaled, breathingLevel, heartbeatLevel,
        cycleIndex, springFromHex, springDisplacement, applyCommand,
    };
})(typeof globalThis !== 'undefined' ? globalThis : this);
