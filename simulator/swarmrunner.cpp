#include "swarmrunner.h"

#include "eventdispatcher.h"
#include "simlogging.h"
#include "tlscontext.h"

#include <QAbstractEventDispatcher>
#include <QThread>

namespace GroupLoop {

SwarmRunner::SwarmRunner(QObject *parent)
    : QObject(parent)
    , m_shared(std::make_shared<SwarmShared>())
{
    qRegisterMetaType<GroupLoop::SwarmStats>();
}

SwarmRunner::~SwarmRunner()
{
    stop();
}

bool SwarmRunner::start(const SimulationConfig &config, QString *error)
{
    const QString problem = config.validate();
    if (!problem.isEmpty()) {
        if (error)
            *error = problem;
        return false;
    }
    stop();
    {
        QMutexLocker lock(&m_shared->mutex);
        m_shared->stats = SwarmStats();
        m_shared->snapshot.clear();
    }
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("swarm"));
    // Qt's dispatchers poll() every socket on every loop pass; epoll does not.
    if (QAbstractEventDispatcher *dispatcher = createEventDispatcher())
        m_thread->setEventDispatcher(dispatcher);
    m_worker = new SwarmWorker(config, m_shared, m_otaFactory);
    m_worker->moveToThread(m_thread);
    connect(m_worker, &SwarmWorker::statsUpdated, this, &SwarmRunner::statsUpdated, Qt::QueuedConnection);
    connect(m_worker, &SwarmWorker::finished, m_thread, &QThread::quit, Qt::DirectConnection);
    // Deleted in its thread as the thread ends, before the TLS state below is released.
    connect(m_thread, &QThread::finished, [worker = m_worker] { delete worker; });
    // The sockets' TLS used OpenSSL in this thread: free its per-thread state before stop()
    // returns (its own clean-up at thread exit may come after this process has exited).
    connect(m_thread, &QThread::finished, m_thread, &TlsContext::releaseThreadState, Qt::DirectConnection);
    connect(m_thread, &QThread::started, m_worker, &SwarmWorker::start);
    m_thread->start();
    Q_EMIT runningChanged(true);
    return true;
}

void SwarmRunner::stop()
{
    if (!m_thread)
        return;
    QMetaObject::invokeMethod(m_worker, &SwarmWorker::shutdown, Qt::QueuedConnection);
    // The worker closes its sockets within StopGraceMs; the margin covers a busy machine.
    if (!m_thread->wait(SwarmWorker::StopGraceMs + 4000)) {
        qCWarning(lcSim).noquote() << QStringLiteral(
            "[STOP] the swarm worker did not stop in time; ending its event loop");
        m_thread->quit();
        m_thread->wait();
    }
    delete m_thread;
    m_thread = nullptr;
    m_worker = nullptr; // deleted in its thread on finished()
    {
        QMutexLocker lock(&m_shared->mutex);
        m_shared->stats.running = false;
    }
    Q_EMIT runningChanged(false);
}

bool SwarmRunner::isRunning() const
{
    return m_thread != nullptr;
}

SwarmStats SwarmRunner::stats() const
{
    QMutexLocker lock(&m_shared->mutex);
    return m_shared->stats;
}

QList<DeviceSnapshot> SwarmRunner::snapshot() const
{
    QMutexLocker lock(&m_shared->mutex);
    return m_shared->snapshot;
}

} // namespace GroupLoop
