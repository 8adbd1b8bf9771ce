// SessionPlayer: replays a session file (docs/recording.md) in the console. Frames go into
// the device store's FrameIngest at their recorded times (scaled by speed), the same path live
// frames take, so the field, the table and the plots show the replayed devices as if live.
// Play/pause, seek, speed 0.25x-10x, loop; the decoded values can be exported as CSV.
#pragma once

#include "sessionfile.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

#include <memory>

namespace GroupLoop {

class DeviceStore;

class SessionPlayer : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by the console")
    Q_PROPERTY(bool loaded READ isLoaded NOTIFY loadedChanged)
    Q_PROPERTY(QString filePath READ filePath NOTIFY loadedChanged)
    Q_PROPERTY(QString fileName READ fileName NOTIFY loadedChanged)
    Q_PROPERTY(QString summary READ summary NOTIFY loadedChanged)
    Q_PROPERTY(QString problems READ problems NOTIFY loadedChanged)
    Q_PROPERTY(int deviceCount READ deviceCount NOTIFY loadedChanged)
    Q_PROPERTY(double frameCount READ frameCount NOTIFY loadedChanged)
    Q_PROPERTY(double durationMs READ durationMs NOTIFY loadedChanged)
    Q_PROPERTY(double positionMs READ positionMs NOTIFY positionChanged)
    Q_PROPERTY(QString positionText READ positionText NOTIFY positionChanged) // "0:03 / 1:20"
    Q_PROPERTY(bool playing READ isPlaying NOTIFY playingChanged)
    Q_PROPERTY(double speed READ speed WRITE setSpeed NOTIFY speedChanged)
    Q_PROPERTY(bool loop READ loop WRITE setLoop NOTIFY loopChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)

public:
    static constexpr double MinSpeed = 0.25;
    static constexpr double MaxSpeed = 10.0;
    static constexpr int TickMs = 10;

    explicit SessionPlayer(DeviceStore *store, QObject *parent = nullptr);

    bool isLoaded() const { return m_session != nullptr; }
    QString filePath() const { return m_session ? m_session->path : QString(); }
    QString fileName() const;
    QString summary() const;
    QString problems() const;
    int deviceCount() const { return int(m_ids.size()); }
    double frameCount() const { return m_session ? double(m_session->frames.size()) : 0.0; }
    double durationMs() const;
    double positionMs() const { return m_session ? double(m_positionMs - m_session->startMs()) : 0.0; }
    QString positionText() const;
    bool isPlaying() const { return m_playing; }
    double speed() const { return m_speed; }
    void setSpeed(double speed);
    bool loop() const { return m_loop; }
    void setLoop(bool loop);
    QString error() const { return m_error; }

    // Reads the file (a path or a file: URL); false with error when it is not a session.
    Q_INVOKABLE bool open(const QString &pathOrUrl);
    Q_INVOKABLE void close();
    Q_INVOKABLE void play();
    Q_INVOKABLE void pause();
    Q_INVOKABLE void togglePlaying();
    // Position from the start of the recording, ms; devices show their state at that time.
    Q_INVOKABLE void seek(double positionMs);
    Q_INVOKABLE bool exportCsv(const QString &pathOrUrl);
    Q_INVOKABLE QString suggestedCsvPath() const;

    // Advances the replay to now (the timer calls it; tests may too).
    void advance();

Q_SIGNALS:
    void loadedChanged();
    void positionChanged();
    void playingChanged();
    void speedChanged();
    void loopChanged();
    void errorChanged();
    void finished(); // reached the end without loop
    void logEvent(int level, const QString &category, const QString &text);

private:
    void pushDue(qint64 untilMs);
    void pushStateAt(qint64 sessionMs);
    void holdWhilePaused();
    void setPlaying(bool playing);
    void setError(const QString &error);
    void restartClock();

    QPointer<DeviceStore> m_store;
    std::shared_ptr<const SessionRecording> m_session;
    QList<quint16> m_ids;
    size_t m_next = 0; // next frame to push
    qint64 m_positionMs = 0; // session ms (from header.offsetMs)
    bool m_playing = false;
    double m_speed = 1.0;
    bool m_loop = false;
    QElapsedTimer m_clock; // since the position was last set
    qint64 m_clockBaseMs = 0; // session ms when m_clock started
    QTimer m_timer;
    QTimer m_holdTimer;
    QString m_error;
};

} // namespace GroupLoop
