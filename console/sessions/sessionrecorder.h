// SessionRecorder: the console's Record button. Records what this console receives (every
// frame, with the time it arrived) and the commands it sends with their results into a session
// file (docs/recording.md), so a show or a bug can be replayed later without the hardware.
#pragma once

#include "sessionfile.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

#include <memory>

namespace GroupLoop {

class CommandController;
class DeviceStore;
class RelayClient;

class SessionRecorder : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by the console")
    Q_PROPERTY(bool recording READ isRecording NOTIFY recordingChanged)
    Q_PROPERTY(QString filePath READ filePath NOTIFY recordingChanged)
    Q_PROPERTY(QString fileName READ fileName NOTIFY recordingChanged)
    Q_PROPERTY(QString directory READ directory WRITE setDirectory NOTIFY directoryChanged)
    Q_PROPERTY(bool compress READ compress WRITE setCompress NOTIFY compressChanged)
    Q_PROPERTY(double elapsedMs READ elapsedMs NOTIFY progress)
    Q_PROPERTY(double bytes READ bytes NOTIFY progress)
    Q_PROPERTY(double frames READ frames NOTIFY progress)
    Q_PROPERTY(int commands READ commands NOTIFY progress)
    Q_PROPERTY(QString statusText READ statusText NOTIFY progress)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)

public:
    static constexpr int DrainIntervalMs = 250;

    SessionRecorder(DeviceStore *store, RelayClient *relay, CommandController *commands,
                    QObject *parent = nullptr);
    ~SessionRecorder() override;

    bool isRecording() const { return m_writer != nullptr; }
    QString filePath() const { return m_writer ? m_writer->currentPath() : m_lastPath; }
    QString fileName() const;
    QString directory() const { return m_directory; }
    void setDirectory(const QString &directory);
    bool compress() const { return m_compress; }
    void setCompress(bool on);
    double elapsedMs() const { return double(m_elapsedMs); }
    double bytes() const { return double(m_bytes); }
    double frames() const { return double(m_frames); }
    int commands() const { return m_commands; }
    QString statusText() const;
    QString error() const { return m_error; }

    // A new file in directory(), named by the date and time. False (and error) on failure.
    Q_INVOKABLE bool start();
    // Records to exactly this path (a local path or a file: URL).
    Q_INVOKABLE bool startTo(const QString &pathOrUrl);
    Q_INVOKABLE void stop();
    Q_INVOKABLE static QString formatBytes(double bytes);
    Q_INVOKABLE static QString formatDuration(double ms);

Q_SIGNALS:
    void recordingChanged();
    void directoryChanged();
    void compressChanged();
    void progress();
    void errorChanged();
    void logEvent(int level, const QString &category, const QString &text);

private:
    void drain();
    void setError(const QString &error);

    QPointer<DeviceStore> m_store;
    QPointer<RelayClient> m_relay;
    std::unique_ptr<SessionWriter> m_writer;
    QTimer m_drainTimer;
    QString m_directory;
    bool m_compress = true;
    QString m_lastPath;
    qint64 m_startedAtMs = 0; // Clock::nowMs() at start: frame times are relative to it
    qint64 m_elapsedMs = 0;
    qint64 m_bytes = 0;
    qint64 m_frames = 0;
    int m_commands = 0;
    QString m_error;
};

} // namespace GroupLoop
