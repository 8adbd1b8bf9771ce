// HttpRequest and HttpResponse: what the side door's routes take and give. A response is a
// head and either a body in memory or a FileBody the side door streams (FileStream); the side
// door decides whether the connection stays open for the next request (keepAlive).
#pragma once

#include "httprequesthead.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <memory>

namespace GroupLoop {

// A response body that comes from a file: `length` bytes from `offset`, streamed after the head
// without blocking the event loop. `progress` (optional) is told how far the body has gone:
// after every chunk the socket took, and once with finished = true when the transfer ends
// (sent == total: complete; less: the client went away).
struct FileBody
{
    QString path;
    qint64 offset = 0;
    qint64 length = 0;
    std::function<void(qint64 sent, qint64 total, bool finished)> progress;
};

struct HttpRequest
{
    HttpRequestHead head;
    QByteArray body; // empty unless the route takes a body (HttpRouter::Route::maxBodyBytes)
    QString peer; // the client's address, for logs
    bool secure = false; // it came over TLS
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
    // Set: the body is this file's bytes (body stays empty); Content-Length is file->length.
    std::shared_ptr<const FileBody> file;
    QByteArray cacheControl = "no-store"; // static files: "no-cache" (revalidate with the ETag)
    // Set by the side door: Connection: keep-alive (with Keep-Alive: timeout, max) or close.
    bool keepAlive = false;
    int keepAliveTimeoutS = 0;
    int keepAliveMax = 0;

    // A short text/plain answer: message and a newline.
    static HttpResponse text(int status, const QByteArray &message, const QByteArray &extraHeaders = {});
    static HttpResponse json(QByteArray body);
    // A redirect (302) to `location`, with a short text body.
    static HttpResponse redirect(const QByteArray &location);

    qint64 contentLength() const;

    QByteArray toBytes() const;
    static QByteArray reasonPhrase(int status);
};

} // namespace GroupLoop
