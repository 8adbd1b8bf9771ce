// RelayConnection: one WebSocket to a relay, living in the relay client's worker thread.
// It subscribes with `s`, parses frame batches into the FrameIngest (so parsing never runs on
// the GUI thread), reconnects with exponential backoff and jitter, and matches command
// replies to commands FIFO: a relay answers each connection's commands in order and replies
// carry no tag.
#pragma once

#include "frameingest.h"

#include <QAbstractSocket>
#include <QObject>
#include <QQueue>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

#include <memory>

namespace GroupLoop {

class RelayConnection : public QObject
{
    Q_OBJECT
public:
    // RelayClient::State repeats this list for QML; relayclient.cpp checks they agree.
    enum class State { Disconnected, Connecting, Connected, Subscribed, Reconnecting, Failed };
    Q_ENUM(State)

    struct Backoff
    {
        int initialMs = 500;
        int maxMs = 10000;
        double jitter = 0.25; // +- share of the delay
    };
    // Delay before reconnect attempt `attempt` (1-based), with `unit` in [0, 1) for jitter.
    static int backoffDelayMs(const Backoff &backoff, int attempt, double unit);

    // Appends the sensor frames in one text message to `out`; returns the lines that were not
    // frames. This is all the parsing the client does per message (the benchmark times it).
    static int parseFrames(QStringView text, qint64 atMs, std::vector<TimedFrame> &out);

    explicit RelayConnection(std::shared_ptr<FrameIngest> ingest, QObject *parent = nullptr);
    ~RelayConnection() override;

    // Invoked across threads (queued).
    Q_INVOKABLE void open(const QUrl &url);
    Q_INVOKABLE void close();
    Q_INVOKABLE void reconnectNow();
    Q_INVOKABLE void sendCommand(quint64 token, const QString &text);
    Q_INVOKABLE void setBackoff(int initialMs, int maxMs);

Q_SIGNALS:
    void stateChanged(GroupLoop::RelayConnection::State state, const QString &detail, int retryInMs);
    void commandReplied(quint64 token, const QString &reply);
    void commandFailed(quint64 token, const QString &reason);
    void event(int level, const QString &text); // for the log panel
    void messageStats(quint64 messages, quint64 frames, quint64 junkLines);

private:
    void setState(State state, const QString &detail = {}, int retryInMs = 0);
    void handleText(const QString &text);
    void handleDisconnected();
    void scheduleReconnect(const QString &reason);
    void failPending(const QString &reason);
    void startSocket();

    std::shared_ptr<FrameIngest> m_ingest;
    QWebSocket *m_socket = nullptr;
    QUrl m_url;
    State m_state = State::Disconnected;
    bool m_wanted = false;
    int m_attempt = 0;
    Backoff m_backoff;
    QTimer m_retryTimer;
    QTimer m_keepAlive;
    bool m_awaitingPong = false;
    QQueue<quint64> m_pending;
    quint64 m_messages = 0;
    quint64 m_frames = 0;
    quint64 m_junk = 0;
    QTimer m_statsTimer;
    std::vector<TimedFrame> m_batch;
};

} // namespace GroupLoop
