#include "swarmworker.h"

#include "lightwebsocket.h"
#include "protocol.h"
#include "sessionindex.h"
#include "simlogging.h"
#include "tlscontext.h"

#include <QHash>
#include <QTimerEvent>

#include <algorithm>
#include <limits>

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace GroupLoop {

namespace {

// SensorFrame::toHex() plus '\n', written in place: no allocation per frame.
void appendFrameLine(QByteArray &out, const SensorFrame &frame)
{
    const quint8 bytes[10]
        = {quint8(frame.id >> 8), quint8(frame.id), frame.ax,         frame.ay,         frame.az,
           frame.beacons[0],      frame.beacons[1], frame.beacons[2], frame.beacons[3], frame.tap};
    char line[SensorFrame::TextLength + 1];
    for (int i = 0; i < 10; ++i) {
        line[2 * i] = Hex::lowerDigit(bytes[i] >> 4);
        line[2 * i + 1] = Hex::lowerDigit(bytes[i]);
    }
    line[SensorFrame::TextLength] = '\n';
    out.append(line, sizeof line);
}

} // namespace

SwarmWorker::SwarmWorker(const SimulationConfig &config, std::shared_ptr<SwarmShared> shared,
                         OtaFetcherFactory otaFactory)
    : m_config(config)
    , m_shared(std::move(shared))
    , m_otaFactory(std::move(otaFactory))
{
}

SwarmWorker::~SwarmWorker() = default;

void SwarmWorker::start()
{
    m_swarm = std::make_unique<Swarm>(m_config.swarm);
    m_jitter.seed(m_swarm->seed() ^ 0x5eedu);
    if (m_config.replay.enabled())
        startReplay();
    // One TLS context for every socket: the trust store is read once, not per connection.
    // Should the CA file have gone since LinkConfig::validate() read it, the sockets fall back
    // to the system's CAs: stricter, never looser.
    std::shared_ptr<const TlsContext> tls;
    QString tlsError;
    if (m_config.link.url.scheme() == u"wss")
        tls = TlsContext::client({m_config.link.caFile, m_config.link.insecure}, &tlsError);
    const int gateway = m_config.link.gateway;
    const int devices = m_swarm->size();
    m_links.resize(size_t((devices + gateway - 1) / gateway));
    for (size_t i = 0; i < m_links.size(); ++i) {
        Link &link = m_links[i];
        link.firstDevice = int(i) * gateway;
        link.deviceCount = std::min(gateway, devices - link.firstDevice);
        link.backoffMs = m_config.link.backoffInitialMs;
        // Ramp up: connections spread evenly at connectRate per second.
        link.connectAtUs = qint64(double(i) * 1e6 / m_config.link.connectRate);
        link.socket = new LightWebSocket(this);
        link.socket->setNoDelay(m_config.link.noDelay);
        link.socket->setTlsContext(tls);
        link.socket->setBearerToken(m_config.link.token);
        const int index = int(i);
        connect(link.socket, &LightWebSocket::connected, this, [this, index] { onConnected(index); });
        connect(link.socket, &LightWebSocket::disconnected, this,
                [this, index](const QString &reason) { onDisconnected(index, reason); });
        connect(link.socket, &LightWebSocket::textReceived, this,
                [this, index](const QByteArray &text) { onText(index, text); });
    }
    m_stats = SwarmStats();
    m_stats.lastError = tlsError;
    m_stats.running = true;
    m_stats.seed = m_swarm->seed();
    m_stats.devices = devices;
    m_stats.sockets = int(m_links.size());
    m_clock.start();
    // One tick per send interval, 10..20 ms. Every event-loop pass polls every socket (Qt's
    // dispatchers use poll(), O(sockets)); with 2,000 sockets that costs ~1.5 ms a pass, so
    // fewer passes matter more than finer send times. Each socket still keeps its own
    // jittered schedule; a frame leaves on the first tick at or after its due time.
    // A replay sends at recorded times, not at hz: the finest tick keeps them within ~10 ms.
    const int tickMs = m_config.replay.enabled() ? 10 : std::clamp(int(1000.0 / m_config.link.hz), 10, 20);
    m_tick.start(tickMs, Qt::PreciseTimer, this);
    qCDebug(lcSim).noquote() << QStringLiteral("[SWARM] %1 devices on %2 sockets to %3, seed %4")
                                    .arg(devices)
                                    .arg(m_links.size())
                                    .arg(m_config.link.url.toDisplayString())
                                    .arg(m_stats.seed);
    publishStats(0);
    if (m_config.snapshotHz > 0)
        publishSnapshot();
}

void SwarmWorker::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_tick.timerId())
        tick();
    else if (event->timerId() == m_stopTimer.timerId())
        finishShutdown();
    else
        QObject::timerEvent(event);
}

void SwarmWorker::tick()
{
    const qint64 nowUs = m_clock.nsecsElapsed() / 1000;
    const qint64 nowMs = nowUs / 1000;
    m_swarm->advanceTo(nowMs);
    if (!m_stopping) {
        const bool replay = m_config.replay.enabled();
        const qint64 position = replay ? replayPositionMs(nowUs) : -1;
        if (position >= 0)
            sendReplayDue(position);
        for (Link &link : m_links) {
            if (link.open) {
                if (!replay && nowUs >= link.nextSendUs)
                    sendDue(link, nowUs);
            } else if (nowUs >= link.connectAtUs
                       && link.socket->state() == LightWebSocket::State::Unconnected) {
                if (std::exchange(link.attempted, true))
                    ++m_stats.reconnects;
                link.socket->open(m_config.link.url);
            }
        }
        if (position >= 0)
            finishReplayPass(nowUs, position);
    }
    if (nowMs - m_lastStatsMs >= StatsIntervalMs)
        publishStats(nowMs);
    if (m_config.snapshotHz > 0 && nowMs >= m_nextSnapshotMs) {
        publishSnapshot();
        m_nextSnapshotMs = nowMs + 1000 / m_config.snapshotHz;
    }
}

qint64 SwarmWorker::sendIntervalUs()
{
    const double j = m_config.link.jitter;
    const double factor = 1.0 + (j > 0.0 ? (m_jitter.generateDouble() * 2.0 - 1.0) * j : 0.0);
    return qint64(1e6 / m_config.link.hz * factor);
}

void SwarmWorker::sendDue(Link &link, qint64 nowUs)
{
    m_out.clear();
    int frames = 0;
    for (int d = link.firstDevice; d < link.firstDevice + link.deviceCount; ++d) {
        VirtualDevice &device = m_swarm->device(d);
        if (!device.isPublishing())
            continue; // updating firmware
        appendFrameLine(m_out, device.takeFrame());
        ++frames;
    }
    if (frames > 0 && link.socket->sendText(m_out))
        m_stats.framesSent += quint64(frames);
    const qint64 interval = sendIntervalUs();
    link.nextSendUs += interval;
    // A late tick catches up one frame per tick per link, keeping the average rate through
    // short stalls; after a long one (a second behind) the schedule restarts from now.
    if (link.nextSendUs < nowUs - 1000000)
        link.nextSendUs = nowUs + interval;
}

void SwarmWorker::startReplay()
{
    const SessionIndex &session = *m_config.replay.session;
    m_replayDevice.clear();
    for (int i = 0; i < session.deviceIds.size() && i < m_swarm->size(); ++i) {
        m_swarm->device(i).setId(session.deviceIds[i]);
        m_replayDevice.insert(session.deviceIds[i], i);
    }
    m_replayStream = std::make_unique<SessionStream>();
    QString error;
    if (!m_replayStream->open(session.path, SessionStream::Parts::Follow, &error)) {
        m_stats.lastError = error; // gone since it was indexed
        m_replayDone = true;
    }
    m_replayOut.assign(size_t(m_swarm->size()), QByteArray());
    m_replayHave = false;
    m_replayStartUs = -1;
}

qint64 SwarmWorker::replayPositionMs(qint64 nowUs)
{
    if (m_replayStartUs < 0) {
        const bool allOpened
            = std::all_of(m_links.begin(), m_links.end(), [](const Link &l) { return l.everOpen; });
        if (!allOpened && nowUs < ReplayStartWaitMs * 1000)
            return -1;
        m_replayStartUs = nowUs;
        qCInfo(lcSimReplay).noquote()
            << QStringLiteral("[REPLAY] playing %1 frames of %2 devices at %3x%4")
                   .arg(m_config.replay.session->frames)
                   .arg(m_swarm->size())
                   .arg(m_config.replay.speed)
                   .arg(allOpened ? QString() : QStringLiteral(" (not every socket is open yet)"));
    }
    return m_config.replay.session->startMs()
        + qint64(double(nowUs - m_replayStartUs) / 1000.0 * m_config.replay.speed);
}

// Sends every recorded frame that is due, one message per device. Frames that fall due while
// a device's socket is down are dropped, as a real device's would be.
void SwarmWorker::sendReplayDue(qint64 positionMs)
{
    while (!m_replayDone) {
        if (!m_replayHave && !(m_replayHave = m_replayStream->next(&m_replayRecord))) {
            m_replayDone = true;
            break;
        }
        if (m_replayRecord.ms > positionMs)
            break;
        m_replayHave = false;
        for (const SensorFrame &frame : m_replayRecord.frames) {
            const int device = m_replayDevice.value(frame.id, -1);
            if (device < 0 || !m_links[size_t(device)].open || !m_swarm->device(device).isPublishing())
                continue;
            QByteArray &out = m_replayOut[size_t(device)];
            if (out.isEmpty())
                m_replayTouched.push_back(device);
            appendFrameLine(out, frame);
        }
    }
    for (const int device : m_replayTouched) {
        QByteArray &out = m_replayOut[size_t(device)];
        if (m_links[size_t(device)].socket->sendText(out))
            m_stats.framesSent += quint64(out.size() / (SensorFrame::TextLength + 1));
        out.clear();
    }
    m_replayTouched.clear();
}

void SwarmWorker::finishReplayPass(qint64 nowUs, qint64 positionMs)
{
    const SessionIndex &session = *m_config.replay.session;
    m_stats.replayPositionMs = std::min(positionMs, session.endMs);
    if (!m_replayDone)
        return;
    if (!m_config.replay.loop) {
        if (!std::exchange(m_stats.replayFinished, true))
            qCInfo(lcSimReplay).noquote() << QStringLiteral("[REPLAY] finished");
        return;
    }
    if (session.positions.empty() || !m_replayStream->seek(session.positions.front()))
        return;
    ++m_stats.replayLoops;
    qCInfo(lcSimReplay).noquote()
        << QStringLiteral("[REPLAY] from the start again (loop %1)").arg(m_stats.replayLoops);
    m_replayStartUs = nowUs;
    m_replayDone = false;
    m_replayHave = false;
}

void SwarmWorker::onConnected(int index)
{
    Link &link = m_links[size_t(index)];
    qCDebug(lcSimLink).noquote()
        << QStringLiteral("[LINK] socket %1 connected (%2 devices)").arg(index).arg(link.deviceCount);
    link.open = true;
    link.everOpen = true;
    link.backoffMs = m_config.link.backoffInitialMs;
    ++m_stats.openSockets;
    // A TLS handshake holds tens of KiB until it ends, spread between the small allocations
    // that stay: once the ramp-up (or a reconnect wave) is over, give those pages back.
    if (++m_connectsSinceTrim >= 1024 || m_stats.openSockets == m_stats.sockets)
        m_trimAtMs = m_clock.elapsed() + TrimDelayMs;
    m_stats.everConnected = true;
    for (int d = link.firstDevice; d < link.firstDevice + link.deviceCount; ++d)
        m_swarm->device(d).networkUp();
    // A random phase spreads the sockets' sends evenly over the interval.
    const qint64 nowUs = m_clock.nsecsElapsed() / 1000;
    link.nextSendUs = nowUs + qint64(m_jitter.generateDouble() * 1e6 / m_config.link.hz);
}

void SwarmWorker::onDisconnected(int index, const QString &reason)
{
    Link &link = m_links[size_t(index)];
    if (link.open) {
        link.open = false;
        --m_stats.openSockets;
    } else if (!m_stopping) {
        ++m_stats.connectFailures;
    }
    if (m_stopping) {
        const bool allClosed = std::all_of(m_links.begin(), m_links.end(), [](const Link &l) {
            return l.socket->state() == LightWebSocket::State::Unconnected;
        });
        if (allClosed) // not from inside the socket's own signal: finishShutdown() deletes it
            QMetaObject::invokeMethod(this, &SwarmWorker::finishShutdown, Qt::QueuedConnection);
        return;
    }
    m_stats.lastError = reason;
    qint64 delayMs;
    if (link.staysAway) {
        link.connectAtUs = std::numeric_limits<qint64>::max();
        return;
    }
    if (std::exchange(link.restartAfterOta, false)) {
        delayMs = 100; // rebooted after an update: reconnect at once
    } else {
        // Exponential backoff with jitter, so a restarted relay is not hit by everyone at once.
        delayMs = qint64(link.backoffMs * (0.5 + 0.5 * m_jitter.generateDouble()));
        link.backoffMs = std::min(link.backoffMs * 2, m_config.link.backoffMaxMs);
    }
    link.connectAtUs = m_clock.nsecsElapsed() / 1000 + delayMs * 1000;
    qCDebug(lcSimLink).noquote()
        << QStringLiteral("[LINK] socket %1 closed (%2); again in %3 ms").arg(index).arg(reason).arg(delayMs);
}

void SwarmWorker::onText(int index, const QByteArray &text)
{
    static const QByteArray greeting = Protocol::greeting().toUtf8();
    if (text == greeting)
        return;
    const Link &link = m_links[size_t(index)];
    const QString command = QString::fromUtf8(text);
    const qint64 nowMs = m_clock.elapsed();
    bool understood = false;
    // A gateway cannot tell which of its devices a command was routed for (the relay sends
    // only "<command>:<params>"), so every device behind the socket obeys it.
    for (int d = link.firstDevice; d < link.firstDevice + link.deviceCount; ++d) {
        VirtualDevice &device = m_swarm->device(d);
        device.advanceTo(nowMs);
        const auto result = device.applyCommand(command);
        understood = understood || result != VirtualDevice::CommandResult::Ignored;
        if (result == VirtualDevice::CommandResult::OtaStarted)
            startOta(index, d);
    }
    if (understood)
        ++m_stats.commandsReceived;
}

void SwarmWorker::startOta(int linkIndex, int device)
{
    if (!m_ota)
        m_ota = m_otaFactory ? m_otaFactory() : std::make_unique<NetworkOtaFetcher>();
    // --ota-fail-rate: some updates fail, half in the download, half by never coming back.
    const bool fails
        = m_config.link.otaFailRate > 0.0 && m_jitter.generateDouble() < m_config.link.otaFailRate;
    const bool stopsDownload = fails && m_jitter.generateDouble() < 0.5;
    OtaFetcher *fetcher = m_ota.get();
    if (stopsDownload) {
        if (!m_failingOta) {
            m_failingOta = std::make_unique<NetworkOtaFetcher>();
            m_failingOta->stopAfterBytes = 1;
        }
        fetcher = m_failingOta.get();
    }
    const bool staysAway = fails && !stopsDownload;
    qCInfo(lcSim).noquote() << QStringLiteral("[OTA] %1 fetching %2")
                                   .arg(SensorFrame::idToText(m_swarm->device(device).id()),
                                        m_swarm->device(device).otaUrl().toDisplayString());
    fetcher->fetch(
        m_swarm->device(device).otaUrl(),
        [this, linkIndex, device, staysAway](bool ok, const QString &error) {
            if (m_stopping)
                return;
            VirtualDevice &updated = m_swarm->device(device);
            updated.finishOta(ok);
            const QString id = SensorFrame::idToText(updated.id());
            if (!ok) {
                // As the firmware: a failed update leaves the old image running, still connected.
                m_stats.lastError = QStringLiteral("OTA failed: ") + error;
                qCWarning(lcSim).noquote() << QStringLiteral("[OTA] %1 failed: %2").arg(id, error);
                return;
            }
            ++m_stats.otaUpdates;
            Link &link = m_links[size_t(linkIndex)];
            if (staysAway) {
                link.staysAway = true;
                qCWarning(lcSim).noquote()
                    << QStringLiteral("[OTA] %1 updated; never coming back (--ota-fail-rate)").arg(id);
            } else {
                qCInfo(lcSim).noquote() << QStringLiteral("[OTA] %1 updated; reconnecting").arg(id);
            }
            // The firmware reboots after flashing: its connection drops and it connects again.
            link.restartAfterOta = true;
            link.socket->close(WebSocketRfc::CloseGoingAway);
        });
}

void SwarmWorker::publishStats(qint64 nowMs)
{
    if (m_trimAtMs >= 0 && nowMs >= m_trimAtMs) {
#ifdef __GLIBC__
        malloc_trim(0);
#endif
        m_trimAtMs = -1;
        m_connectsSinceTrim = 0;
    }
    // Frames per second over the last second, from samples taken every StatsIntervalMs.
    m_rateSamples.push_back({nowMs, m_stats.framesSent});
    while (m_rateSamples.size() > 1 && nowMs - m_rateSamples.front().first > 1000)
        m_rateSamples.pop_front();
    const auto &[oldestMs, oldestFrames] = m_rateSamples.front();
    m_stats.framesPerSecond = nowMs > oldestMs
        ? double(m_stats.framesSent - oldestFrames) * 1000.0 / double(nowMs - oldestMs)
        : 0.0;
    m_lastStatsMs = nowMs;
    m_stats.elapsedMs = nowMs;
    {
        QMutexLocker lock(&m_shared->mutex);
        m_shared->stats = m_stats;
    }
    Q_EMIT statsUpdated(m_stats);
}

void SwarmWorker::publishSnapshot()
{
    QList<DeviceSnapshot> snapshot;
    snapshot.reserve(m_swarm->size());
    for (const Link &link : m_links) {
        for (int d = link.firstDevice; d < link.firstDevice + link.deviceCount; ++d) {
            const Swarm::Member &member = m_swarm->member(d);
            DeviceSnapshot s;
            s.id = member.device.id();
            s.position = member.position;
            s.orientation = member.orientation;
            s.leds = member.device.ledColours();
            s.vibrating = member.device.isVibrating();
            s.connected = link.open;
            s.phase = member.device.phase();
            snapshot.append(s);
        }
    }
    QMutexLocker lock(&m_shared->mutex);
    m_shared->snapshot = std::move(snapshot);
}

void SwarmWorker::shutdown()
{
    if (m_stopping)
        return;
    m_stopping = true;
    bool waiting = false;
    for (Link &link : m_links) {
        if (link.socket->isOpen()) {
            link.socket->close(WebSocketRfc::CloseGoingAway, "simulator stopping");
            waiting = true;
        } else {
            link.socket->abort(QStringLiteral("simulator stopping"));
        }
    }
    if (waiting)
        m_stopTimer.start(StopGraceMs, this);
    else
        finishShutdown();
}

void SwarmWorker::finishShutdown()
{
    if (std::exchange(m_finished, true))
        return;
    m_tick.stop();
    m_stopTimer.stop();
    for (Link &link : m_links) {
        link.socket->disconnect(this);
        link.socket->abort(QStringLiteral("simulator stopped"));
        if (link.open)
            --m_stats.openSockets;
        link.open = false;
        link.socket->deleteLater();
        link.socket = nullptr;
    }
    m_ota.reset();
    m_failingOta.reset();
    m_stats.running = false;
    publishStats(m_clock.elapsed());
    Q_EMIT finished();
}

} // namespace GroupLoop
