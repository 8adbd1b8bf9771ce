// ReplayWorker: the console's replay, in its own thread. It indexes the session (progress
// reported), then streams the frames from disk at their recorded times (scaled by speed) into
// the device store's FrameIngest, marked as replayed. Seeks read from the nearest indexed
// position, so neither opening nor seeking an hour-long file ever blocks the GUI thread, and
// memory stays bounded whatever the file's size. Driven by SessionPlayer through queued calls.
#pragma once

#include "sessionindex.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>

namespace GroupLoop {

class FrameIngest;

class ReplayWorker : public QObject
{
    Q_OBJECT
public:
    static constexpr int TickMs = 10;
    static constexpr int PositionReportMs = 50;
    static constexpr qint64 SeekLookBackMs = 1000; // a seek shows each device's last frame from this far back

    explicit ReplayWorker(std::shared_ptr<FrameIngest> ingest);

    // Asks a load in progress to stop (any thread).
    void cancelLoad() { m_cancel.store(true); }

    // In the worker's thread (queued from SessionPlayer); generation tags what follows.
    void load(const QString &path, int loadId);
    void play(int generation);
    void pause(int generation);
    void seek(qint64 sessionMs, int generation);
    void setSpeed(double speed);
    void setLoop(bool loop) { m_loop = loop; }
    void unload();

Q_SIGNALS:
    void loadProgress(double fraction, int loadId);
    void loaded(std::shared_ptr<const GroupLoop::SessionIndex> index, int loadId);
    void loadFailed(const QString &error, int loadId);
    void positionChanged(qint64 sessionMs, int generation);
    void finished(int generation);

private:
    void advance();
    void pushDue(qint64 untilMs);
    void restartClock(qint64 sessionMs);
    void report(bool now);

    std::shared_ptr<FrameIngest> m_ingest;
    std::shared_ptr<const SessionIndex> m_index;
    std::unique_ptr<SessionStream> m_stream;
    SessionRecord m_record; // read, not yet pushed
    bool m_have = false;
    bool m_atEnd = false;
    std::atomic<bool> m_cancel {false};
    QTimer *m_timer = nullptr; // created in the worker's thread
    QElapsedTimer m_clock;
    QElapsedTimer m_sinceReport;
    qint64 m_clockBaseMs = 0;
    qint64 m_positionMs = 0;
    double m_speed = 1.0;
    bool m_loop = false;
    int m_generation = 0;
};

} // namespace GroupLoop
