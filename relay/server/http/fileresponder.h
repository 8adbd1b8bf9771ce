// FileResponder: the answer to a GET or HEAD for one file on disk, as browsers and phones
// expect it: the Content-Type from QMimeDatabase, an ETag and Last-Modified with 304 for a
// matching If-None-Match / If-Modified-Since, 206 for a single byte Range (416 when it cannot be
// satisfied; If-Range honoured), and gzip for text when the client accepts it. The body is not
// read here: the answer carries a FileBody that the side door streams (FileStream), so a route
// serving a 2 MB firmware image costs the event loop one 64 KiB read at a time.
//
// Use from any route handler:
//     router.get(path, [](const HttpRequest &request) {
//         FileOptions options;
//         options.progress = [](qint64 sent, qint64 total, bool finished) { ... };
//         return FileResponder::answer(request, resolvedFilePath, options);
//     });
// The caller resolves (and confines) the path first: see WebRootPath.
#pragma once

#include "httpresponse.h"

#include <QDateTime>
#include <QString>

namespace GroupLoop {

struct FileOptions
{
    QByteArray contentType; // empty: from QMimeDatabase (by name, then content)
    // Text (HTML, CSS, JavaScript, JSON, SVG ...) up to MaxGzipBytes goes gzip'd to clients that
    // accept it; the compressed copy is kept in a small cache keyed by path, size and mtime.
    bool allowGzip = true;
    QByteArray cacheControl = "no-cache"; // cache, but revalidate (cheap: a 304)
    // Told how far the body has gone (FileBody::progress); not called for HEAD, 304 or errors.
    std::function<void(qint64 sent, qint64 total, bool finished)> progress;
};

namespace FileResponder {

constexpr qint64 MaxGzipBytes = 8 * 1024 * 1024;

// `path` must name a readable regular file; a file that vanished meanwhile answers 404.
HttpResponse answer(const HttpRequest &request, const QString &path, const FileOptions &options = {});

// "text/javascript; charset=utf-8", "image/png", ... for a file name (QMimeDatabase; text
// types get charset=utf-8). Also for in-memory assets such as the built-in /phone page.
QByteArray contentTypeFor(const QString &fileName);

// An HTTP date (RFC 9110 IMF-fixdate) and back; an invalid QDateTime for anything else.
QByteArray httpDate(const QDateTime &time);
QDateTime parseHttpDate(const QByteArray &text);

} // namespace FileResponder

} // namespace GroupLoop
