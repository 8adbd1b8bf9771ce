// Test helpers for a relay in the test's own thread: one on a free loopback port, a QWebSocket
// client that queues what it receives, and a raw TCP peer for the misbehaving cases QWebSocket
// cannot produce. Every wait runs the event loop, so the relay under test keeps serving.
// With GROUPLOOP_TEST_TLS=1 in the environment, every relay they start serves TLS on its port
// (a self-signed test certificate) and every client and raw peer speaks wss:// to it, so one
// suite runs over TLS unchanged (the *_tls tests in tests/relay/CMakeLists.txt).
#pragma once

#include "network.h"
#include "relayserver.h"
#include "sensorframe.h"

#include <QSignalSpy>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>

#include <memory>

namespace GroupLoop::Testing {

// Whether this run goes over TLS (GROUPLOOP_TEST_TLS=1).
bool overTls();

// Connects `socket` to the loopback port, with TLS (unverified) when overTls(); event-loop waits.
bool connectSocket(QSslSocket &socket, quint16 port);

// A RelayServer in this thread on loopback, on `port` (0: a free one), with `config` otherwise.
// A relay that cannot listen ends the test program (qFatal) with the reason.
std::unique_ptr<RelayServer> startRelay(RelayConfig config = {}, quint16 port = 0);

QUrl relayUrl(const RelayServer &relay, const QString &path = QStringLiteral("/"));

class TestClient : public QObject
{
    Q_OBJECT
public:
    explicit TestClient(QObject *parent = nullptr);

    // Opens and consumes the greeting.
    bool open(const RelayServer &relay, const QString &path = QStringLiteral("/"));
    // Opens a relay anywhere (e.g. another process) and consumes the greeting.
    bool open(const QUrl &url);

    void send(const QString &text) { socket.sendTextMessage(text); }
    // The next message, or a null QString after the timeout.
    QString next(int timeoutMs = 3000);
    QString request(const QString &text);
    // Sends and then waits until the relay has processed it (a ping round trip).
    void sendAndSync(const QString &text);
    void sync();
    // All frames received so far, split into lines.
    QStringList frameLines();

    QWebSocket socket;
    QStringList received;
    bool closed = false;
};

// A WebSocket peer on a bare QTcpSocket: completes the handshake, then does only what the
// test says (e.g. never reads, never answers pings).
class RawPeer
{
public:
    // receiveBuffer > 0: stop reading once this much is buffered, like a frozen browser.
    bool handshake(quint16 port, int receiveBuffer = 0);

    // A masked client text frame.
    static QByteArray textFrame(const QByteArray &payload, bool fin = true, quint8 opcode = 0x1);
    // A client frame with explicit header bits, for protocol violations.
    static QByteArray frame(quint8 firstByte, const QByteArray &payload, bool masked = true);

    struct ServerFrame
    {
        quint8 opcode = 0;
        bool fin = false;
        QByteArray payload;
    };
    // Reads server frames as they arrive (event-loop waits). Returns false on timeout.
    bool readFrame(ServerFrame *frame, int timeoutMs = 3000);
    // Reads until a close frame arrives; returns its code (0 if none within the timeout,
    // -1 if the connection dropped without one). Text frames met on the way go to *texts.
    int readUntilClose(QStringList *texts = nullptr, int timeoutMs = 3000);

    QSslSocket socket; // TLS when overTls()

private:
    QByteArray m_in;
};

} // namespace GroupLoop::Testing
