// OscCommandReceiver: OSC in for show control (showcontrol.h). Listens on a UDP port, decodes
// each datagram (bundles unpacked, time tags ignored: cues run when they arrive), refuses what
// is malformed, not a request, `ota`, or rejected by the CommandGate, each with a
// /grouploop/result reply to the sender. Accepted requests become signals with a request id;
// whoever carries them out (the console's command controller, its selection) answers with
// reply(id, result), and a request nobody answers within 10 s is answered for them.
#pragma once

#include "showcontrol.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QTimer>
#include <QUdpSocket>

#include <memory>

namespace GroupLoop {

class OscCommandReceiver : public QObject
{
    Q_OBJECT

public:
    static constexpr int DefaultAnswerTimeoutMs = 10000;
    static constexpr int MaxPending = 256;

    struct Stats
    {
        quint64 datagrams = 0;
        quint64 commands = 0; // handed on by commandRequested
        quint64 selections = 0;
        quint64 refused = 0; // not requests, ota, rejected by the gate, nobody to carry them out
        quint64 malformed = 0; // not OSC
    };

    explicit OscCommandReceiver(QObject *parent = nullptr);

    // Port 0 picks a free one (see port()). False with statusText() saying why.
    bool listen(quint16 port, const QHostAddress &address = QHostAddress::Any);
    void close();
    bool isListening() const { return m_socket.state() == QAbstractSocket::BoundState; }
    quint16 port() const { return m_socket.localPort(); }
    QString statusText() const { return m_status; }

    // The registry check for commands; by default the built-in registry.
    void setGate(std::shared_ptr<const CommandGate> gate);
    // Answers an accepted request to its sender: "/grouploop/result <label>: <result>".
    void reply(int requestId, const QString &result);
    int pendingRequests() const { return int(m_pending.size()); }
    void setAnswerTimeoutMs(int ms) { m_answerTimeoutMs = ms; }
    const Stats &stats() const { return m_stats; }

Q_SIGNALS:
    void commandRequested(int requestId, const QString &target, const QString &command,
                          const QString &params);
    void selectionRequested(int requestId, const QList<quint16> &ids);
    // A refused or malformed request, for the console's log.
    void problem(const QString &text);
    void statusChanged();

private:
    struct Pending
    {
        QHostAddress sender;
        quint16 senderPort = 0;
        QString label;
        qint64 expiresMs = 0;
    };

    void readPending();
    void handle(const Osc::Message &message, const QHostAddress &sender, quint16 senderPort);
    void refuse(const QString &what, const QString &why, const QHostAddress &sender, quint16 senderPort,
                bool malformed = false);
    void send(const QString &text, const QHostAddress &sender, quint16 senderPort);
    void expire();

    QUdpSocket m_socket;
    QString m_status = QStringLiteral("off");
    std::shared_ptr<const CommandGate> m_gate;
    QHash<int, Pending> m_pending;
    int m_nextId = 1;
    int m_answerTimeoutMs = DefaultAnswerTimeoutMs;
    QTimer m_expiry;
    Stats m_stats;
};

} // namespace GroupLoop
