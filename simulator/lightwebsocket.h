// LightWebSocket: a lean client-side RFC 6455 WebSocket on a QTcpSocket, over ws:// or wss://.
// QWebSocket (and QSslSocket under it) costs too much per socket for thousands of simulated
// devices; this client does only what a device needs: the opening handshake (with a bearer
// token if given), masked text frames out, text/ping/pong/close frames in (pings answered), and
// the close handshake. Incoming frames go through the relay's own WebSocketFrameParser in the
// client role; wss:// goes through a TlsSession on the same socket. Writes go straight to the
// kernel (unbuffered socket), so sending a frame is one write() and no event-loop round trip.
#pragma once

#include "websocketframeparser.h"
#include "websocketrfc.h"

#include <QBasicTimer>
#include <QByteArray>
#include <QByteArrayView>
#include <QObject>
#include <QString>
#include <QUrl>

#include <memory>

class QTcpSocket;

namespace GroupLoop {

class TlsContext;
class TlsSession;

class LightWebSocket : public QObject, private WebSocketFrameParser::Handler
{
    Q_OBJECT
public:
    enum class State { Unconnected, Connecting, Handshaking, Open, Closing };

    explicit LightWebSocket(QObject *parent = nullptr);
    ~LightWebSocket() override;

    // True for ws:// and wss://host[:port][/path]; otherwise false and *error says why.
    static bool isSupportedUrl(const QUrl &url, QString *error = nullptr);

    // Starts connecting; ends in connected() or disconnected(reason).
    void open(const QUrl &url);
    // Sends one masked text frame; false when the socket is not open.
    bool sendText(QByteArrayView utf8);
    bool sendPing(QByteArrayView payload = {});
    // Starts the close handshake; disconnected() follows.
    void close(quint16 code = WebSocketRfc::CloseNormal, QByteArrayView reason = {});
    // Drops the TCP connection at once; disconnected() follows if it was not unconnected.
    void abort(const QString &reason = QStringLiteral("aborted"));

    State state() const { return m_state; }
    bool isOpen() const { return m_state == State::Open; }
    QUrl url() const { return m_url; }
    qint64 bytesToWrite() const;
    quint16 peerCloseCode() const { return m_peerCloseCode; } // 0 when the peer sent none

    void setHandshakeTimeoutMs(int ms) { m_handshakeTimeoutMs = ms; }
    // Frames and messages from the server over this are a protocol error (1009); default 1 MiB.
    // Set it before open().
    void setMaxMessageBytes(qint64 bytes);
    // TCP_NODELAY (default on): every frame leaves at once. Off lets Nagle's algorithm hold a
    // small frame while an earlier one is unacknowledged, trading latency for fewer segments.
    void setNoDelay(bool on) { m_noDelay = on; }
    // Whom wss:// trusts (one client context for many sockets). Without one, wss:// verifies
    // the server against the system's CAs and its host name.
    void setTlsContext(std::shared_ptr<const TlsContext> context);
    // Sent with the upgrade as "Authorization: Bearer <token>" (the relay also reads ?token=
    // in the URL). Must pass WebSocketClientHandshake::isValidBearerToken; empty: none.
    void setBearerToken(const QByteArray &token) { m_token = token; }

Q_SIGNALS:
    void connected();
    void textReceived(const QByteArray &text);
    void pongReceived(const QByteArray &payload);
    void disconnected(const QString &reason);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void onTcpConnected();
    void onReadyRead();
    void onTcpDisconnected();
    void onTcpError();
    void sendUpgradeRequest();
    bool decrypt(const QByteArray &cipher, QByteArray &plain);
    void receive(QByteArray &data);
    bool readHandshake();
    bool sendFrame(int opcode, QByteArrayView payload);
    bool sendBytes(QByteArrayView bytes); // through TLS when there is a session
    bool writeWire(const char *data, qsizetype size);
    void endTls();
    bool tlsHandshaking() const;
    QString peerClosedReason() const;

    // WebSocketFrameParser::Handler
    void onMessage(QByteArrayView payload, bool text) override;
    void onPing(QByteArrayView payload) override;
    void onPong(QByteArrayView payload) override;
    void onClose(quint16 code, QByteArrayView reason) override;
    void onError(quint16 code, const QString &reason) override;
    void fail(quint16 code, const QString &reason);
    void finish(const QString &reason);
    quint32 nextMask();

    QTcpSocket *m_socket = nullptr;
    State m_state = State::Unconnected;
    QUrl m_url;
    QByteArray m_key;
    QByteArray m_token;
    QByteArray m_in; // the server's handshake answer until it is complete
    WebSocketFrameParser m_parser;
    std::shared_ptr<const TlsContext> m_tlsContext;
    std::unique_ptr<TlsSession> m_tls; // wss://, while connected
    QString m_closeReason;
    quint16 m_peerCloseCode = 0;
    bool m_attemptActive = false; // between open() and its one disconnected()
    quint64 m_maskState;
    int m_handshakeTimeoutMs = 10000;
    QBasicTimer m_timeout; // handshake, then close-handshake timeout
    int m_fd = -1; // the connected socket's descriptor, for the direct-send fast path
    bool m_noDelay = true;
    bool m_qtQueued = false; // bytes may be waiting in QTcpSocket's buffer: keep order, go through it
};

} // namespace GroupLoop
