// HttpRequest and HttpResponse: what the side door's routes take and give. A response is
// written whole and the connection closes after it (Connection: close).
#pragma once

#include "httprequesthead.h"

#include <QByteArray>
#include <QString>

#include <functional>

class QTcpSocket;

namespace GroupLoop {

struct HttpRequest
{
    HttpRequestHead head;
    QByteArray body; // empty unless the route takes a body (HttpRouter::Route::maxBodyBytes)
    QString peer; // the client's address, for logs
};

struct HttpResponse
{
    int status = 200;
    QByteArray contentType;
    QByteArray body;
    QByteArray extraHeaders; // "Name: value\r\n" lines, written after Server:
    bool headOnly = false; // HEAD: the body's Content-Length, no body
    // Only the status line, extraHeaders and Connection: close (a CORS preflight's 204).
    bool bare = false;
    // A body too large to hold: Content-Length is streamLength and, once the head is written,
    // stream takes the socket, writes the body as the socket drains and closes it (not for HEAD).
    qint64 streamLength = -1;
    std::function<void(QTcpSocket *socket)> stream;

    // A short text/plain answer: message and a newline.
    static HttpResponse text(int status, const QByteArray &message, const QByteArray &extraHeaders = {});
    static HttpResponse json(QByteArray body);

    QByteArray toBytes() const;
    static QByteArray reasonPhrase(int status);
};

} // namespace GroupLoop
