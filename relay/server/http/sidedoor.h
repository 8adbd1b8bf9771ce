// SideDoor: every TCP connection to the relay's port starts here, plain or TLS (an
// HttpConnection either way). It reads the request head into a buffer kept only until the head
// (and a route's body, if it takes one) is complete; a WebSocket upgrade goes to the Host,
// which answers it and takes the connection; any other request is answered from the
// HttpRouter's routes. It enforces the limits that apply before a connection is a client: the
// connection limit (503; a TLS connection is just closed), the head's size (431), its syntax
// (400), a complete WebSocket handshake (400: Host, version 13, a Sec-WebSocket-Key of 16 bytes
// in base64) and the handshake timeout (the TLS handshake included).
// A GET or HEAD over HTTP/1.1 keeps its connection (keep-alive) for the next request, up to
// maxRequestsPerConnection, closed after keepAliveIdleMs without one: a browser loading an app's
// twenty assets does not pay twenty connections. File bodies stream (FileStream) while the
// connection waits; any other answer ends its connection.
#pragma once

#include "httprouter.h"

#include <QElapsedTimer>
#include <QHash>
#include <QSet>

#include <memory>
#include <optional>

class QObject;
class QTcpSocket;

namespace GroupLoop {

class HttpConnection;
class TlsContext;

struct SideDoorLimits
{
    int maxRequestHeadBytes = 8 * 1024;
    int handshakeTimeoutMs = 5000; // from accept to a complete request
    int maxConnections = 10000; // pending ones here plus the Host's clients
    int keepAliveIdleMs = 5000; // a kept-alive connection's wait for its next request
    int maxRequestsPerConnection = 100;
};

struct SideDoorStats
{
    quint64 rejectedHandshake = 0; // bad or oversized request head, bad upgrade, or timeout
    quint64 rejectedConnectionLimit = 0;
    quint64 tlsHandshakeFailures = 0;
};

class SideDoor
{
public:
    class Host
    {
    public:
        // Open connections beyond the side door's own (the WebSocket clients).
        virtual int clientCount() const = 0;
        // A WebSocket upgrade with a valid Sec-WebSocket-Key and a Host: answer it and take the
        // connection (with `received`, the bytes after the head), or return the answer that
        // refuses it.
        virtual std::optional<HttpResponse> upgrade(HttpConnection *connection, const HttpRequestHead &head,
                                                    QByteArray received)
            = 0;

    protected:
        ~Host() = default;
    };

    // context: the QObject whose thread and lifetime the socket connections follow.
    SideDoor(SideDoorLimits limits, Host *host, QObject *context);
    ~SideDoor();

    HttpRouter &router() { return m_router; }

    // Every accepted socket starts here (the side door deletes it, or the Host takes it). With
    // `tls`, the connection is TLS: its handshake counts against the handshake timeout.
    void accept(QTcpSocket *socket, const std::shared_ptr<TlsContext> &tls = nullptr);
    // Closes connections that have not sent a complete request in handshakeTimeoutMs.
    void expireHandshakes();
    void abortAll(); // shutdown
    int pendingCount() const { return int(m_pending.size()); }
    int streamingCount() const { return int(m_streaming.size()); } // file bodies on their way
    const SideDoorStats &stats() const { return m_stats; }

    // Writes the answer and closes the connection once it is written.
    static void respond(HttpConnection *connection, const HttpResponse &response);

private:
    struct Pending
    {
        qint64 acceptedMs = 0;
        QByteArray received;
        // Once the head is complete but the route's body is not:
        std::optional<HttpRequest> request;
        qint64 bodyBytes = 0;
        int served = 0; // requests answered on this connection before (keep-alive)
    };

    void read(HttpConnection *connection);
    void finish(HttpConnection *connection); // no longer pending: answered, refused or handed over
    void upgrade(HttpConnection *connection, const HttpRequestHead &head, QByteArray received);
    void answer(HttpConnection *connection, const HttpRequest &request, int served = 0,
                const QByteArray &leftover = {});
    // Writes the answer, then (file body streamed) keeps the connection or closes it.
    void deliver(HttpConnection *connection, HttpResponse response, bool keepAlive, int served,
                 const QByteArray &leftover);
    // Waiting for a request, as after accept(); `received`: bytes already read.
    void track(HttpConnection *connection, int served, const QByteArray &received);
    bool keepsAlive(const HttpRequest &request, int served) const;
    static HttpRequest requestOf(HttpConnection *connection, const HttpRequestHead &head,
                                 QByteArray body = {});
    // With a route that takes a body: how many bytes; nullopt after answering a bad length.
    std::optional<qint64> bodyLength(HttpConnection *connection, const HttpRequestHead &head,
                                     const HttpRouter::Route &route);

    SideDoorLimits m_limits;
    Host *m_host;
    QObject *m_context;
    HttpRouter m_router;
    QElapsedTimer m_clock;
    QHash<HttpConnection *, Pending> m_pending;
    QSet<HttpConnection *> m_streaming;
    SideDoorStats m_stats;
};

} // namespace GroupLoop
