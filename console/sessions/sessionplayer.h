// SessionPlayer: replays a session file (docs/recording.md) in the console. A ReplayWorker in
// its own thread indexes the file (progress shown) and streams its frames into the device
// store's FrameIngest at their recorded times (scaled by speed), marked as replayed, so the
// field, the table and the plots show the replayed devices, marked as such. Play/pause, seek,
// speed 0.25x-10x, loop, stop; the decoded values can be exported as CSV. Replayed devices
// leave when the replay is stopped or closed, and age out like live ones after it ends.
#pragma once

#include "sessionfile.h"

#include <QThread>

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

#include <memory>

namespace GroupLoop {

class DeviceStore;
class ReplayWorker;

class SessionPlayer : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by the console")
    Q_PROPERTY(bool loaded READ isLoaded NOTIFY loadedChanged)
    Q_PROPERTY(bool loading READ isLoading NOTIFY loadingChanged)
    Q_PROPERTY(double loadProgress READ loadProgress NOTIFY loadingChanged) // 0..1 while loading
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
    explicit SessionPlayer(DeviceStore *store, QObject *parent = nullptr);
    ~SessionPlayer() override;

    bool isLoaded() const { return m_index != nullptr; }
    bool isLoading() const { return m_loading; }
    double loadProgress() const { return m_loadProgress; }
    QString filePath() const { return m_index ? m_index->path : QString(); }
    QString fileName() const;
    QString summary() const;
    QString problems() const;
    int deviceCount() const { return m_index ? int(m_index->deviceIds.size()) : 0; }
    double frameCount() const { return m_index ? double(m_index->frames) : 0.0; }
    double durationMs() const;
    double positionMs() const { return m_index ? double(m_positionMs - m_index->startMs()) : 0.0; }
    QString positionText() const;
    bool isPlaying() const { return m_playing; }
    double speed() const { return m_speed; }
    void setSpeed(double speed);
    bool loop() const { return m_loop; }
    void setLoop(bool loop);
    QString error() const { return m_error; }

    // Starts loading the file (a path or a file: URL) in the worker thread; false with error
    // when it is not a session at all. loadedChanged follows once it is indexed.
    Q_INVOKABLE bool open(const QString &pathOrUrl);
    Q_INVOKABLE void close();
    // While loading: plays as soon as the file is loaded.
    Q_INVOKABLE void play();
    Q_INVOKABLE void pause();
    Q_INVOKABLE void togglePlaying();
    // Back to the start, paused, and the replayed devices leave the store now.
    Q_INVOKABLE void stop();
    // Position from the start of the recording, ms; devices show their state at that time.
    Q_INVOKABLE void seek(double positionMs);
    Q_INVOKABLE bool exportCsv(const QString &pathOrUrl);
    Q_INVOKABLE QString suggestedCsvPath() const;

Q_SIGNALS:
    void loadedChanged();
    void loadingChanged();
    void positionChanged();
    void playingChanged();
    void speedChanged();
    void loopChanged();
    void errorChanged();
    void finished(); // reached the end without loop
    void logEvent(int level, const QString &category, const QString &text);

private:
    void onLoaded(const std::shared_ptr<const SessionIndex> &index, int loadId);
    void onPosition(qint64 sessionMs, int generation);
    void holdWhilePaused();
    void setPlaying(bool playing);
    void setLoading(bool loading, double progress);
    void setError(const QString &error);
    void removeReplayedDevices();

    QPointer<DeviceStore> m_store;
    QThread *m_thread = nullptr;
    ReplayWorker *m_worker = nullptr; // lives in m_thread
    std::shared_ptr<const SessionIndex> m_index;
    qint64 m_positionMs = 0; // session ms (from the first part's offset_ms)
    bool m_playing = false;
    bool m_finished = false; // reached the end: the devices age out
    bool m_loading = false;
    bool m_playWhenLoaded = false;
    double m_loadProgress = 0.0;
    int m_loadId = 0;
    int m_generation = 0; // position reports from before the last play/pause/seek are ignored
    double m_speed = 1.0;
    bool m_loop = false;
    QTimer m_holdTimer;
    QString m_error;
};

} // namespace GroupLoop
