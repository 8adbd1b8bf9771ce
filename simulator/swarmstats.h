// What a running swarm reports: live counters (SwarmStats) and the true state of every
// device (DeviceSnapshot), for progress lines and for drawing the swarm in the console.
#pragma once

#include "ledring.h"
#include "virtualdevice.h"

#include <QMetaType>
#include <QPointF>
#include <QString>

namespace GroupLoop {

struct SwarmStats
{
    bool running = false;
    qint64 elapsedMs = 0;
    quint32 seed = 0;
    int devices = 0;
    int sockets = 0; // target number of sockets (devices / gateway, rounded up)
    int openSockets = 0;
    double framesPerSecond = 0.0; // frames sent over the last second
    quint64 framesSent = 0;
    quint64 commandsReceived = 0; // command messages a device understood
    quint64 reconnects = 0; // connection attempts after the first, per socket
    quint64 connectFailures = 0; // attempts that never reached the open state
    quint64 otaUpdates = 0;
    bool everConnected = false;
    QString lastError; // the latest reason a socket closed or failed

    // Replay only: where the recording is (session ms), loops completed, and whether every
    // frame has been sent (never with loop).
    qint64 replayPositionMs = 0;
    int replayLoops = 0;
    bool replayFinished = false;
};

struct DeviceSnapshot
{
    quint16 id = 0;
    QPointF position; // true position, room units
    Orientation orientation;
    LedRing::Colours leds {}; // what the ring shows, brightness applied
    bool vibrating = false;
    bool connected = false;
    VirtualDevice::Phase phase = VirtualDevice::Phase::Booting;
};

} // namespace GroupLoop

Q_DECLARE_METATYPE(GroupLoop::SwarmStats)
Q_DECLARE_METATYPE(GroupLoop::DeviceSnapshot)
