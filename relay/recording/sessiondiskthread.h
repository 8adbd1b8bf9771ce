// SessionDiskThread: writes (and compresses) session files in its own thread, so a second of a
// busy relay's frames never stalls the thread that records them: deflating 10,000 frames costs
// milliseconds. Jobs run in the order they were posted.
#pragma once

#include <QByteArray>
#include <QString>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

namespace GroupLoop {

class SessionOutputFile;

class SessionDiskThread
{
public:
    SessionDiskThread();
    ~SessionDiskThread(); // finishes every job posted, then joins

    void write(std::shared_ptr<SessionOutputFile> file, QByteArray data);
    void close(std::shared_ptr<SessionOutputFile> file);

    // Until everything posted so far is on disk.
    void wait();

    // The first write error since the last call ("<path>: write failed (...); recording
    // stopped"), or an empty string.
    QString takeError();

private:
    struct Job
    {
        std::shared_ptr<SessionOutputFile> file;
        QByteArray data;
        bool close = false;
    };

    void post(Job job);
    void run();

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_idle;
    std::deque<Job> m_jobs;
    bool m_busy = false;
    bool m_quit = false;
    QString m_error;
    std::thread m_thread; // last: starts once the rest exists
};

} // namespace GroupLoop
