// WebSocketConnection: the relay's server side of one WebSocket, after the side door has
// answered the upgrade. QWebSocket keeps two ring-buffer chunks (48 KiB of heap) and a private
// object graph per socket and costs two signal hops and a QString per message; this does only
// what the relay needs. A connection leaves QTcpSocket behind and works on the descriptor
// itself (QTcpSocket toggles its read notifier around every read, two epoll_ctl calls per
// message): each readiness is one recv() into a stack buffer, each frame one send() straight to
// the kernel, and only what the kernel did not take (a slow reader) or an unfinished frame is
// kept. TLS goes the same way with a TlsSession around the bytes: each read is decrypted into
// the thread's scratch buffer and parsed, each frame is encrypted into one and sent in one
// send(); the session keeps no buffer while idle. On the relay's epoll loop a connection
// is told of readiness directly (no QSocketNotifier, QEvent or signal), and text messages go
// to one handler function rather than through a signal: per message, those hops cost the relay
// more than its own work.
#pragma once

#include "websocketframeparser.h"
#include "websocketrfc.h"
#ifdef GROUPLOOP_HAVE_EPOLL
#include "epolleventdispatcher.h"
#endif

#include <QBasicTimer>
#include <QByteArrayView>
#include <QHostAddress>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

class QSocketNotifier;
class QTcpSocket;

namespace GroupLoop {

class HttpConnection;
class TlsSession;

class WebSocketConnection : public QObject,
                            private WebSocketFrameParser::Handler
#ifdef GROUPLOOP_HAVE_EPOLL
    ,
                            private EpollEventDispatcher::DescriptorHandler
#endif
{
    Q_OBJECT
public:
    // Takes over the connection's socket and TLS session, once the upgrade has been answered
    // on it (the emptied connection is deleted later).
    WebSocketConnection(HttpConnection *connection, qint64 maxFrameBytes, qint64 maxMessageBytes,
                        QObject *parent = nullptr);
    ~WebSocketConnection() override;

    // The 101 answer to an upgrade request with this Sec-WebSocket-Key.
    static QByteArray upgradeResponse(QByteArrayView key);

    // Receives every text message (valid UTF-8); set it before start().
    using TextHandler = std::function<void(QByteArrayView utf8)>;
    void setTextHandler(TextHandler handler) { m_onText = std::move(handler); }

    // Starts reading; `received` (bytes that came after the request head) is parsed first.
    // May emit disconnected() before it returns.
    void start(QByteArray received);

    // One text frame, one write. Returns the payload size, or -1 when the connection is closing
    // or gone.
    qint64 sendText(QByteArrayView utf8);
    void ping();
    // Sends a close frame (the first call only) and ends the connection: at the peer's close
    // frame or end of stream, or, for a peer that does neither, CloseGraceMs later.
    void close(quint16 code, const QString &reason);
    void abort();

    qint64 bytesToWrite() const;
    QHostAddress peerAddress() const { return m_peerAddress; }
    quint16 peerPort() const { return m_peerPort; }
    // The relay's own address on the interface this connection came in on (OTA download URLs).
    QHostAddress localAddress() const { return m_localAddress; }
    // The close code sent or received first (1000 when none was), and its reason.
    quint16 closeCode() const { return m_closeCode; }
    QString closeReason() const { return m_closeReason; }

    static constexpr int CloseGraceMs = 2000;

Q_SIGNALS:
    void binaryReceived(qsizetype bytes);
    void pongReceived();
    void bytesWritten(); // what the kernel did not take at once has gone out
    void disconnected(); // once; delete the connection later, not from the slot

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void onReadyRead();
    void onBytesWritten();
    qint64 writeFrame(int opcode, QByteArrayView payload);
    void endOfStreamAfterClose();
    void finish();

    // The transport: the descriptor, or m_socket where it could not be taken over; with TLS,
    // m_tls between the WebSocket bytes and the wire.
    bool isConnected() const;
    void received(char *data, qint64 size); // from the wire (unmasked in place)
    bool writeBytes(const char *data, qint64 size); // false: the connection is dead
    bool writeWire(const char *data, qint64 size);
    void sendCloseNotify(); // TLS: before the end of stream
    void flushOutbox(); // on write readiness
    void closeTransport(); // after the close handshake: the server closes TCP
    void releaseDescriptor();
    void watchDescriptor(bool write); // reads always, writes while m_outbox has bytes

#ifdef GROUPLOOP_HAVE_EPOLL
    // EpollEventDispatcher::DescriptorHandler
    void descriptorReady(int fd, bool readable, bool writable) override;
#endif

    // WebSocketFrameParser::Handler
    void onMessage(QByteArrayView payload, bool text) override;
    void onPing(QByteArrayView payload) override;
    void onPong(QByteArrayView payload) override;
    void onClose(quint16 code, QByteArrayView reason) override;
    void onError(quint16 code, const QString &reason) override;

    QTcpSocket *m_socket = nullptr; // when the descriptor could not be taken over
    int m_fd = -1;
    std::unique_ptr<TlsSession> m_tls;
#ifdef GROUPLOOP_HAVE_EPOLL
    QPointer<EpollEventDispatcher> m_epoll;
#endif // on the epoll loop: watches m_fd directly
    QSocketNotifier *m_readNotifier = nullptr; // elsewhere
    QSocketNotifier *m_writeNotifier = nullptr; // elsewhere, while m_outbox has bytes
    TextHandler m_onText;
    QByteArray m_outbox; // what the kernel did not take yet
    QByteArray m_early; // read by QTcpSocket before the descriptor was taken over (wire bytes)
    QByteArray m_earlyPlain; // TLS: decrypted before the upgrade, not yet parsed
    bool m_closeWhenDrained = false;
    WebSocketFrameParser m_parser;
    QHostAddress m_peerAddress;
    quint16 m_peerPort = 0;
    QHostAddress m_localAddress;
    quint16 m_closeCode = WebSocketRfc::CloseNormal;
    bool m_closeSent = false;
    bool m_watchingWrites = false;
    bool m_finished = false;
    QString m_closeReason;
    QBasicTimer m_closeTimer;
};

} // namespace GroupLoop
