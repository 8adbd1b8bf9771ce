// SwarmWorker: runs one swarm and its links inside a worker thread (see SwarmRunner).
// One precise timer tick drives everything: physics, connection ramp-up, reconnects and
// sends, so thousands of sockets cost one timer instead of thousands.
#pragma once

#include "otafetcher.h"
#include "sessionstream.h"
#include "swarm.h"
#include "swarmstats.h"

#include <QBasicTimer>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QMutex>
#include <QObject>

#include <deque>
#include <functional>
#include <memory>
#include <vector>

namespace GroupLoop {

class LightWebSocket;

// Shared between the worker thread (writer) and the owner (reader).
struct SwarmShared
{
    mutable QMutex mutex;
    SwarmStats stats;
    QList<DeviceSnapshot> snapshot;
};

using OtaFetcherFactory = std::function<std::unique_ptr<OtaFetcher>()>;

class SwarmWorker : public QObject
{
    Q_OBJECT
public:
    static constexpr int StatsIntervalMs = 250;
    static constexpr int StopGraceMs = 1000;

    SwarmWorker(const SimulationConfig &config, std::shared_ptr<SwarmShared> shared,
                OtaFetcherFactory otaFactory);
    ~SwarmWorker() override;

    // Both run in the worker thread.
    void start();
    void shutdown(); // closes every socket (bounded wait), then emits finished()

Q_SIGNALS:
    void statsUpdated(const GroupLoop::SwarmStats &stats);
    void finished();

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    struct Link
    {
        LightWebSocket *socket = nullptr;
        int firstDevice = 0;
        int deviceCount = 0;
        qint64 connectAtUs = 0; // microseconds on m_clock
        qint64 nextSendUs = 0;
        int backoffMs = 0;
        bool attempted = false;
        bool open = false;
        bool restartAfterOta = false;
        bool staysAway = false; // flashed and never came back (--ota-fail-rate)
        bool everOpen = false;
    };

    void tick();
    void sendDue(Link &link, qint64 nowUs);
    void startReplay();
    qint64 replayPositionMs(qint64 nowUs);
    void sendReplayDue(qint64 positionMs);
    void finishReplayPass(qint64 nowUs, qint64 positionMs);
    void onConnected(int index);
    void onDisconnected(int index, const QString &reason);
    void onText(int index, const QByteArray &text);
    void startOta(int linkIndex, int device);
    qint64 sendIntervalUs();
    void publishStats(qint64 now);
    void publishSnapshot();
    void finishShutdown();

    SimulationConfig m_config;
    std::shared_ptr<SwarmShared> m_shared;
    OtaFetcherFactory m_otaFactory;
    std::unique_ptr<OtaFetcher> m_ota;
    std::unique_ptr<NetworkOtaFetcher> m_failingOta; // --ota-fail-rate: downloads that stop short
    std::unique_ptr<Swarm> m_swarm;
    std::vector<Link> m_links;
    QElapsedTimer m_clock;
    QBasicTimer m_tick;
    QBasicTimer m_stopTimer;
    QRandomGenerator m_jitter;
    QByteArray m_out;
    bool m_stopping = false;
    bool m_finished = false;

    SwarmStats m_stats;
    std::deque<std::pair<qint64, quint64>> m_rateSamples; // (ms, frames sent)
    qint64 m_lastStatsMs = 0;
    qint64 m_nextSnapshotMs = 0;
    // Freed memory goes back to the system this long after a wave of connects ends.
    static constexpr qint64 TrimDelayMs = 1000;
    int m_connectsSinceTrim = 0;
    qint64 m_trimAtMs = -1;

    // Replay: the session is streamed from disk, record by record, each frame going to its
    // device's socket (one message per socket and tick); the timeline starts once every socket
    // has connected (or after ReplayStartWaitMs) so early frames are not lost.
    static constexpr qint64 ReplayStartWaitMs = 3000;
    std::unique_ptr<SessionStream> m_replayStream;
    SessionRecord m_replayRecord; // read, not yet due
    bool m_replayHave = false;
    bool m_replayDone = false;
    QHash<quint16, int> m_replayDevice; // id -> device (and link: one device per socket)
    std::vector<QByteArray> m_replayOut; // per link, this tick's frames
    std::vector<int> m_replayTouched; // links with frames this tick
    qint64 m_replayStartUs = -1;
};

} // namespace GroupLoop
