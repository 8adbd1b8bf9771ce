// RelayConnection: one WebSocket to a relay, living in the relay client's worker thread.
// It subscribes with `s`, parses frame batches into the FrameIngest (so parsing never runs on
// the GUI thread), reconnects with exponential backoff and jitter, and matches command
// replies to commands FIFO: a relay answers each connection's commands in order and replies
// carry no tag. It presents the controller token with `auth:` (never in the URL), stops retrying
// when the relay refuses the token (4401) or the certificate needs a decision, and names the
// reason of every failure.
#pragma once

#include "frameingest.h"

#include <QAbstractSocket>
#include <QHash>
#include <QObject>
#include <QQueue>
#include <QSslCertificate>
#include <QSslError>
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
    // TokenNeeded and TrustNeeded wait for the user (a token, a decision on a certificate):
    // no retry runs until open() or reconnectNow().
    enum class State {
        Disconnected,
        Connecting,
        Connected,
        Subscribed,
        Reconnecting,
        Failed,
        TokenNeeded,
        TrustNeeded
    };
    Q_ENUM(State)

    struct Backoff
    {
        int initialMs = 500;
        int maxMs = 30000;
        double jitter = 0.25; // +- share of the delay
    };
    // Delay before reconnect attempt `attempt` (1-based), with `unit` in [0, 1) for jitter;
    // always within [initialMs, maxMs]. The count restarts once a connection subscribes.
    static int backoffDelayMs(const Backoff &backoff, int attempt, double unit);

    // The failure a closed or refused socket stands for, as the connection bar names it.
    enum class Failure { None, Refused, Tls, TokenRefused, RelayFull, BadUrl, RelayGone, Other };
    static Failure classify(QAbstractSocket::SocketError error, const QString &errorString, int closeCode,
                            bool wasConnected);
    static QString failureText(Failure failure);

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
    Q_INVOKABLE void setToken(const QString &token); // empty: present none
    // Extra CA certificates (--ca-file) and the certificates trusted per host ("host:port").
    Q_INVOKABLE void setTrust(const QList<QSslCertificate> &caCertificates,
                              const QHash<QString, QByteArray> &pinnedSha256);

Q_SIGNALS:
    void stateChanged(GroupLoop::RelayConnection::State state, const QString &detail, int retryInMs);
    void commandReplied(quint64 token, const QString &reply);
    void commandFailed(quint64 token, const QString &reason);
    void event(int level, const QString &text); // for the log panel
    void messageStats(quint64 messages, quint64 frames, quint64 junkLines);
    // An untrusted certificate (state TrustNeeded): the user decides; `hostKey` is "host:port".
    void certificateUntrusted(const QString &hostKey, const QSslCertificate &certificate,
                              const QString &errors);

private:
    void setState(State state, const QString &detail = {}, int retryInMs = 0);
    void handleText(const QString &text);
    void handleDisconnected();
    void scheduleReconnect(const QString &reason);
    void failPending(const QString &reason);
    void startSocket();
    void handleSslErrors(const QList<QSslError> &errors);
    void stopWith(State state, const QString &detail); // no retry until the user acts
    QString hostKey() const;

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
    bool m_wasConnected = false;
    QString m_token;
    QList<QSslCertificate> m_caCertificates;
    QHash<QString, QByteArray> m_pinned;
    QQueue<quint64> m_pending;
    quint64 m_messages = 0;
    quint64 m_frames = 0;
    quint64 m_junk = 0;
    QTimer m_statsTimer;
    std::vector<TimedFrame> m_batch;
};

} // namespace GroupLoop
