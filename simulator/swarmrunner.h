// SwarmRunner: the owner-side handle on a running swarm. start() spins up a worker thread
// that owns the swarm and every socket, so the caller's thread (the console's GUI thread)
// never does link I/O. stats() and snapshot() are safe to call from any thread at any time.
#pragma once

#include "swarmconfig.h"
#include "swarmstats.h"
#include "swarmworker.h"

#include <QObject>

#include <memory>

class QThread;

namespace GroupLoop {

class SwarmRunner : public QObject
{
    Q_OBJECT
public:
    explicit SwarmRunner(QObject *parent = nullptr);
    ~SwarmRunner() override; // stops a running swarm

    // Validates config and starts; on a bad config returns false and sets *error to one line.
    // A running swarm is stopped first.
    bool start(const SimulationConfig &config, QString *error = nullptr);
    // Closes every socket (close handshake, at most ~1 s) and joins the worker thread.
    void stop();
    bool isRunning() const;

    // Live counters, refreshed by the worker every 250 ms (frames/s over the last second).
    SwarmStats stats() const;
    // True position, attitude and LED colours of every device, refreshed at config.snapshotHz.
    QList<DeviceSnapshot> snapshot() const;

    // How devices fetch an `ota` image; default NetworkOtaFetcher. Called in the worker thread.
    void setOtaFetcherFactory(OtaFetcherFactory factory) { m_otaFactory = std::move(factory); }

Q_SIGNALS:
    void statsUpdated(const GroupLoop::SwarmStats &stats); // queued to the runner's thread
    void runningChanged(bool running);

private:
    std::shared_ptr<SwarmShared> m_shared;
    QThread *m_thread = nullptr;
    SwarmWorker *m_worker = nullptr;
    OtaFetcherFactory m_otaFactory;
};

} // namespace GroupLoop
