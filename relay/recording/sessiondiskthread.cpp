#include "sessiondiskthread.h"

#include "sessionstorage.h"

namespace GroupLoop {

SessionDiskThread::SessionDiskThread()
    : m_thread([this] { run(); })
{
}

SessionDiskThread::~SessionDiskThread()
{
    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void SessionDiskThread::write(std::shared_ptr<SessionOutputFile> file, QByteArray data)
{
    post({std::move(file), std::move(data), false});
}

void SessionDiskThread::close(std::shared_ptr<SessionOutputFile> file)
{
    post({std::move(file), {}, true});
}

void SessionDiskThread::wait()
{
    std::unique_lock lock(m_mutex);
    m_idle.wait(lock, [this] { return m_jobs.empty() && !m_busy; });
}

QString SessionDiskThread::takeError()
{
    std::lock_guard lock(m_mutex);
    return std::exchange(m_error, QString());
}

void SessionDiskThread::post(Job job)
{
    {
        std::lock_guard lock(m_mutex);
        m_jobs.push_back(std::move(job));
    }
    m_wake.notify_one();
}

void SessionDiskThread::run()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [this] { return m_quit || !m_jobs.empty(); });
        if (m_jobs.empty())
            return; // quit, with everything written
        Job job = std::move(m_jobs.front());
        m_jobs.pop_front();
        m_busy = true;
        lock.unlock();
        QString error;
        if (job.close)
            job.file->close();
        else if (!job.file->failed() && !job.file->write(job.data.constData(), job.data.size()))
            error = job.file->path()
                + QStringLiteral(": write failed (%1); recording stopped").arg(job.file->errorText());
        job = Job();
        lock.lock();
        m_busy = false;
        if (!error.isEmpty() && m_error.isEmpty())
            m_error = error;
        if (m_jobs.empty())
            m_idle.notify_all();
    }
}

} // namespace GroupLoop
