// /phone: this phone becomes a GroupLoop device (docs/phone.md). It streams 20 Hz sensor frames
// in the firmware's scales to the relay it was loaded from, and shows its LED ring and vibrates as
// the firmware would for the commands it receives. The maths lives in ledring.js and frame.js.
(function () {
    'use strict';

    const { LedRing, led, frame } = window.GroupLoop;
    const FRAME_INTERVAL_MS = 50; // 20 Hz, as the firmware publishes
    const SHAKE_G = 3; // a tap is acceleration magnitude over 3 g (firmware)
    const SHAKE_REFRACTORY_MS = 300; // one shake, one tap
    const RETRY_FIRST_MS = 500;
    const RETRY_MAX_MS = 30000;
    const MAX_BUFFERED_BYTES = 1024; // about 45 frames not yet on the wire
    const ID_KEY = 'grouploop.phone.id';

    const $ = (id) => document.getElementById(id);
    const params = new URLSearchParams(location.search);
    const nowMs = () => Math.floor(performance.now()); // the ring counts whole milliseconds

    // --- identity: a random 4-hex id that survives reloads ---------------------------------
    function deviceId() {
        let id = null;
        try {
            id = localStorage.getItem(ID_KEY);
        } catch (e) { /* storage blocked: a fresh id per load */ }
        if (!/^[0-9a-f]{4}$/.test(id || '')) {
            const bytes = new Uint8Array(2);
            crypto.getRandomValues(bytes);
            id = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
            try {
                localStorage.setItem(ID_KEY, id);
            } catch (e) { /* ignore */ }
        }
        return id;
    }

    // --- state -------------------------------------------------------------------------------
    const state = {
        id: deviceId(),
        ring: new LedRing(), // boot: red breathing from page load
        hadNetwork: false,
        accel: [128, 128, 191], // lying flat until the first motion event
        beacons: [0, 0, 0, 0], // not heard until the person places their dot
        tapPending: false,
        lastShakeMs: -Infinity,
        socket: null,
        attempt: 0,
        retryTimer: null,
        framesSent: 0,
        drawnAt: -1,
    };
    window.GroupLoop.phone = state; // for the curious (and the browser test)

    // --- axes ----------------------------------------------------------------------------------
    // devicemotion's frame is the device's: x to the right edge, y to the top edge, z out of the
    // screen; at rest the reading is +1 g on the axis pointing up (W3C spec, Chrome on Android).
    // That is the firmware's convention: lying flat, face up, az = +1 g. iOS Safari reports the
    // opposite sign, so it is flipped there; ?axes=spec or ?axes=flipped overrides the guess.
    const isApple = /iPhone|iPad|iPod/.test(navigator.userAgent)
        || (navigator.platform === 'MacIntel' && navigator.maxTouchPoints > 1);
    const axesParam = params.get('axes');
    const axisSign = axesParam === 'flipped' ? -1 : axesParam === 'spec' ? 1 : isApple ? -1 : 1;

    let motionHint = false; // the notice asks for motion access; the first reading clears it
    function onMotion(event) {
        const a = event.accelerationIncludingGravity;
        if (!a || a.x === null || a.y === null || a.z === null)
            return;
        if (motionHint) {
            motionHint = false;
            notice('');
        }
        const g = [a.x, a.y, a.z].map((v) => (axisSign * v) / frame.STANDARD_GRAVITY);
        state.accel = g.map(frame.accelToByte);
        const now = nowMs();
        if (Math.hypot(g[0], g[1], g[2]) > SHAKE_G && now - state.lastShakeMs > SHAKE_REFRACTORY_MS) {
            state.lastShakeMs = now;
            tap();
        }
    }
    window.addEventListener('devicemotion', onMotion);

    // iOS asks once, from a user gesture; elsewhere requestPermission does not exist.
    let permissionAsked = false;
    function askMotionPermission() {
        if (permissionAsked || typeof DeviceMotionEvent === 'undefined'
            || typeof DeviceMotionEvent.requestPermission !== 'function')
            return;
        permissionAsked = true;
        DeviceMotionEvent.requestPermission()
            .then((answer) => {
                if (answer !== 'granted')
                    notice('Motion access was refused: the accelerometer bars stay flat. Reload to ask again.');
                else
                    notice('');
            })
            .catch((e) => notice('Motion access failed: ' + e.message));
    }

    // Phones sleep their screen; a wake lock (where offered) keeps the ring visible.
    let wakeLock = null;
    function keepAwake() {
        if (!navigator.wakeLock || wakeLock || document.visibilityState !== 'visible')
            return;
        navigator.wakeLock.request('screen').then((lock) => {
            wakeLock = lock;
            lock.addEventListener('release', () => { wakeLock = null; });
        }).catch(() => { /* not allowed here: the screen may dim */ });
    }

    // --- taps ----------------------------------------------------------------------------------
    function tap() {
        if (state.socket && state.socket.readyState === WebSocket.OPEN)
            state.tapPending = true; // `ff` in the next frame only
    }
    const stage = $('stage');
    stage.addEventListener('pointerdown', tap);
    // The gesture that may grant motion access: touchend/click count as user activation on iOS.
    for (const type of ['touchend', 'click']) {
        stage.addEventListener(type, () => {
            askMotionPermission();
            keepAwake();
        });
    }
    if (!window.isSecureContext) {
        notice('No motion sensors over plain http on most phones: open this page over https (docs/phone.md).');
    } else if (typeof DeviceMotionEvent !== 'undefined' && typeof DeviceMotionEvent.requestPermission === 'function') {
        notice('Tap the ring once to allow motion sensors.');
        motionHint = true;
    }

    // --- room map: drag the dot, beacons follow (RoomModel's path-loss model) --------------------
    const room = $('room');
    const me = $('me');
    function placeAt(clientX, clientY) {
        const box = room.getBoundingClientRect();
        const fx = Math.min(Math.max((clientX - box.left) / box.width, 0), 1);
        const fy = Math.min(Math.max((clientY - box.top) / box.height, 0), 1);
        me.style.left = fx * 100 + '%';
        me.style.top = fy * 100 + '%';
        me.classList.remove('unplaced');
        state.beacons = frame.beaconBytesAt(fx * frame.ROOM_WIDTH, fy * frame.ROOM_HEIGHT);
        $('beacon-text').textContent = 'beacons ' + state.beacons.map((b) => b.toString(16).padStart(2, '0')).join(' ');
        $('unplace').hidden = false;
    }
    room.addEventListener('pointerdown', (e) => {
        room.setPointerCapture(e.pointerId);
        placeAt(e.clientX, e.clientY);
    });
    room.addEventListener('pointermove', (e) => {
        if (room.hasPointerCapture(e.pointerId))
            placeAt(e.clientX, e.clientY);
    });
    $('unplace').addEventListener('click', () => {
        state.beacons = [0, 0, 0, 0];
        me.classList.add('unplaced');
        me.style.left = me.style.top = '50%';
        $('beacon-text').textContent = 'beacons not heard';
        $('unplace').hidden = true;
    });

    // --- the relay -------------------------------------------------------------------------------
    function relayUrl() {
        const override = params.get('url');
        const url = new URL(override || (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/');
        if (url.protocol !== 'ws:' && url.protocol !== 'wss:')
            throw new Error('?url= must start with ws:// or wss://');
        const token = params.get('token');
        if (token)
            url.searchParams.set('token', token);
        return url;
    }

    function showState(kind, text) {
        $('state-dot').className = 'dot ' + kind;
        $('state').textContent = text;
    }

    function connect() {
        clearTimeout(state.retryTimer);
        state.retryTimer = null;
        let url;
        try {
            url = relayUrl();
        } catch (e) {
            showState('offline', 'bad relay address: ' + e.message);
            return;
        }
        const shown = url.host + (url.protocol === 'wss:' ? ' (secure)' : '');
        showState('connecting', 'connecting to ' + shown);
        let socket;
        try {
            socket = new WebSocket(url.href);
        } catch (e) {
            showState('offline', 'bad relay address: ' + e.message);
            return;
        }
        state.socket = socket;
        socket.onopen = () => {
            state.attempt = 0;
            socket.send('id:phone-' + state.id);
            showState('connected', 'connected to ' + shown);
            if (!state.hadNetwork) { // network up, first time: breathing in a random colour
                state.hadNetwork = true;
                state.ring.setPattern('breathing', nowMs());
                state.ring.setColour(randomVividColour());
            }
        };
        socket.onmessage = (event) => {
            if (typeof event.data === 'string')
                event.data.split('\n').forEach(onCommand);
        };
        socket.onclose = (event) => {
            if (state.socket !== socket)
                return;
            state.socket = null;
            state.tapPending = false;
            scheduleRetry(event.code, event.reason);
        };
    }

    // Exponential back-off with jitter, so a room of phones does not reconnect in lockstep.
    function scheduleRetry(code, reason) {
        const ceiling = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** state.attempt);
        const delay = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
        state.attempt += 1;
        const why = code === 4401 ? 'the relay wants a device token (?token=...)'
            : reason ? reason + ' (' + code + ')' : 'closed (' + code + ')';
        showState('offline', why + '; retrying in ' + Math.ceil(delay / 1000) + ' s');
        state.retryTimer = setTimeout(connect, delay);
    }

    // Back from sleep or back online: try now rather than wait out the back-off.
    function retryNow() {
        if (!state.socket && state.retryTimer && document.visibilityState === 'visible') {
            state.attempt = 0;
            connect();
        }
    }
    window.addEventListener('online', retryNow);
    document.addEventListener('visibilitychange', () => {
        retryNow();
        keepAwake();
    });

    function sendFrame() {
        const socket = state.socket;
        // On a congested network skip frames rather than queue stale ones (a pending tap waits).
        if (!socket || socket.readyState !== WebSocket.OPEN || socket.bufferedAmount > MAX_BUFFERED_BYTES)
            return;
        const tapByte = state.tapPending ? frame.TAP_BYTE : 0;
        state.tapPending = false;
        const [ax, ay, az] = state.accel;
        socket.send(frame.frameText(state.id, ax, ay, az, state.beacons, tapByte) + '\n');
        state.framesSent += 1;
    }
    setInterval(sendFrame, FRAME_INTERVAL_MS);

    // --- commands --------------------------------------------------------------------------------
    let buzzTimer = null;
    function onCommand(line) {
        const text = line.trim();
        if (!text)
            return;
        const result = led.applyCommand(state.ring, text, nowMs());
        if (!result.applied)
            return; // greetings, replies, unknown or malformed commands: the firmware ignores them
        $('last-command').textContent = text;
        if (result.vibrateMs !== null) {
            if (navigator.vibrate)
                navigator.vibrate(result.vibrateMs);
            // Seen as well as felt (iOS has no vibration API).
            stage.classList.toggle('buzz', result.vibrateMs > 0);
            clearTimeout(buzzTimer);
            buzzTimer = setTimeout(() => stage.classList.remove('buzz'), result.vibrateMs);
        }
    }

    function randomVividColour() {
        const hue = Math.random() * 6;
        const rising = Math.round((hue - Math.floor(hue)) * 255);
        const falling = 255 - rising;
        return [
            { r: 255, g: rising, b: 0 }, { r: falling, g: 255, b: 0 }, { r: 0, g: 255, b: rising },
            { r: 0, g: falling, b: 255 }, { r: rising, g: 0, b: 255 }, { r: 255, g: 0, b: falling },
        ][Math.floor(hue) % 6];
    }

    function notice(text) {
        $('notice').textContent = text;
        $('notice').hidden = !text;
    }

    // --- drawing: LED 0 at the top, clockwise, as the console draws the ring ----------------------
    const leds = Array.from(document.querySelectorAll('.led'));
    leds.forEach((el, i) => {
        const angle = (i * Math.PI) / 3;
        el.style.left = 50 + 36 * Math.sin(angle) + '%';
        el.style.top = 50 - 36 * Math.cos(angle) + '%';
    });
    const shown = [];
    let lastMotionText = '';
    function draw() {
        const now = nowMs();
        state.ring.coloursAt(now).forEach((c, i) => {
            const css = 'rgb(' + c.r + ',' + c.g + ',' + c.b + ')';
            if (shown[i] !== css) { // touch the DOM only when an LED changes
                shown[i] = css;
                leds[i].style.backgroundColor = css;
                const level = Math.max(c.r, c.g, c.b) / 255;
                leds[i].style.boxShadow = level > 0 ? '0 0 ' + Math.round(40 * level) + 'px ' + css : 'none';
            }
        });
        const motionText = ['ax', 'ay', 'az'].map((n, i) => n + ' ' + state.accel[i].toString(16).padStart(2, '0')).join(' · ');
        if (motionText !== lastMotionText)
            $('motion').textContent = lastMotionText = motionText;
        state.drawnAt = now;
        requestAnimationFrame(draw);
    }

    $('device-id').textContent = 'id ' + state.id;
    requestAnimationFrame(draw);
    connect();
})();
