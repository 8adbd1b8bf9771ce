#include "fileresponder.h"

#include <QCache>
#include <QDateTime>
#include <QFileInfo>
#include <QLocale>
#include <QMimeDatabase>
#include <QMutex>
#include <QTimeZone>

#include <zlib.h>

#include <optional>

namespace GroupLoop::FileResponder {

namespace {

constexpr qint64 MinGzipBytes = 512; // below this the gzip header eats the saving

bool isCompressible(const QByteArray &contentType)
{
    return contentType.startsWith("text/") || contentType.startsWith("application/json")
        || contentType.startsWith("application/javascript") || contentType.startsWith("image/svg+xml")
        || contentType.startsWith("application/xml") || contentType.startsWith("application/wasm");
}

bool acceptsGzip(const HttpRequestHead &head)
{
    const std::optional<QByteArray> accepted = head.header("accept-encoding");
    if (!accepted)
        return false;
    for (const QByteArray &part : accepted->split(',')) {
        const QList<QByteArray> fields = part.trimmed().split(';');
        if (fields.constFirst().trimmed().toLower() != "gzip")
            continue;
        // "gzip;q=0" refuses it.
        for (qsizetype i = 1; i < fields.size(); ++i) {
            const QByteArray field = fields[i].trimmed();
            if (field.startsWith("q=") && field.mid(2).toDouble() <= 0.0)
                return false;
        }
        return true;
    }
    return false;
}

std::optional<QByteArray> gzip(const QByteArray &data)
{
    z_stream stream {};
    if (deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return std::nullopt;
    QByteArray out(qsizetype(deflateBound(&stream, uLong(data.size()))) + 32, Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    stream.avail_in = uInt(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    const int status = deflate(&stream, Z_FINISH);
    const qsizetype size = qsizetype(stream.total_out);
    deflateEnd(&stream);
    if (status != Z_STREAM_END)
        return std::nullopt;
    out.truncate(size);
    return out;
}

// Compressed copies by "path|size|mtime": a changed file has another key, the old one ages out.
struct GzipCache
{
    QMutex mutex; // relays may run in several threads of one process (console, tests)
    QCache<QString, QByteArray> entries {32 * 1024 * 1024}; // cost: bytes
};

GzipCache &gzipCache()
{
    static GzipCache cache;
    return cache;
}

std::optional<QByteArray> compressedFile(const QFileInfo &info)
{
    const QString key = info.absoluteFilePath() + u'|' + QString::number(info.size()) + u'|'
        + QString::number(info.lastModified().toMSecsSinceEpoch());
    GzipCache &cache = gzipCache();
    {
        QMutexLocker lock(&cache.mutex);
        if (const QByteArray *hit = cache.entries.object(key))
            return *hit;
    }
    QFile file(info.absoluteFilePath());
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const std::optional<QByteArray> packed = gzip(file.read(MaxGzipBytes));
    if (!packed)
        return std::nullopt;
    QMutexLocker lock(&cache.mutex);
    cache.entries.insert(key, new QByteArray(*packed), qMax<qsizetype>(1, packed->size()));
    return packed;
}

bool etagMatches(const QByteArray &header, const QByteArray &etag)
{
    for (QByteArray candidate : header.split(',')) {
        candidate = candidate.trimmed();
        if (candidate == "*")
            return true;
        if (candidate.startsWith("W/"))
            candidate = candidate.mid(2); // weak comparison, as If-None-Match asks
        if (candidate == etag)
            return true;
    }
    return false;
}

struct ByteRange
{
    qint64 first = 0;
    qint64 length = 0;
};

enum class RangeKind { None, Satisfiable, Unsatisfiable };

// One "bytes=a-b", "bytes=a-" or "bytes=-n"; anything else (several ranges, other units,
// garbage) is ignored and the whole file is sent, as RFC 9110 allows.
RangeKind parseRange(const QByteArray &header, qint64 size, ByteRange *range)
{
    if (!header.startsWith("bytes="))
        return RangeKind::None;
    const QByteArray spec = header.mid(6).trimmed();
    const qsizetype dash = spec.indexOf('-');
    if (dash < 0 || spec.contains(','))
        return RangeKind::None;
    const QByteArray from = spec.left(dash).trimmed();
    const QByteArray to = spec.mid(dash + 1).trimmed();
    bool okFrom = true;
    bool okTo = true;
    if (from.isEmpty()) { // suffix: the last n bytes
        const qint64 n = to.toLongLong(&okTo);
        if (!okTo || n < 0)
            return RangeKind::None;
        if (n == 0 || size == 0)
            return RangeKind::Unsatisfiable;
        range->first = qMax<qint64>(0, size - n);
        range->length = size - range->first;
        return RangeKind::Satisfiable;
    }
    const qint64 first = from.toLongLong(&okFrom);
    qint64 last = to.isEmpty() ? size - 1 : to.toLongLong(&okTo);
    if (!okFrom || !okTo || first < 0)
        return RangeKind::None;
    if (first >= size)
        return RangeKind::Unsatisfiable;
    if (last < first)
        return RangeKind::None;
    last = qMin(last, size - 1);
    range->first = first;
    range->length = last - first + 1;
    return RangeKind::Satisfiable;
}

} // namespace

QByteArray contentTypeFor(const QString &fileName)
{
    static const QMimeDatabase database; // thread-safe for lookups
    const QMimeType type = database.mimeTypeForFile(fileName, QMimeDatabase::MatchExtension);
    QByteArray name = type.isValid() ? type.name().toLatin1() : QByteArray("application/octet-stream");
    // Browsers load modules only with a JavaScript type; the shared-mime-info name differs.
    if (name == "application/javascript" || name == "application/x-javascript")
        name = "text/javascript";
    if (name.startsWith("text/") || name == "application/json" || name == "image/svg+xml")
        name += "; charset=utf-8";
    return name;
}

QByteArray httpDate(const QDateTime &time)
{
    return QLocale::c().toString(time.toUTC(), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'")).toLatin1();
}

QDateTime parseHttpDate(const QByteArray &text)
{
    QDateTime time = QLocale::c().toDateTime(QString::fromLatin1(text.trimmed()),
                                             QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"));
    time.setTimeZone(QTimeZone::utc());
    return time;
}

HttpResponse answer(const HttpRequest &request, const QString &path, const FileOptions &options)
{
    const QFileInfo info(path);
    if (!info.isFile() || !info.isReadable())
        return HttpResponse::text(404, "no such file");
    const qint64 size = info.size();
    const QDateTime modified = info.lastModified().toUTC();
    const QByteArray lastModified = httpDate(modified);
    const QByteArray contentType = options.contentType.isEmpty() ? contentTypeFor(path) : options.contentType;
    const bool gzipped = options.allowGzip && isCompressible(contentType) && size >= MinGzipBytes
        && size <= MaxGzipBytes && acceptsGzip(request.head);
    const QByteArray etag = '"' + QByteArray::number(size, 16) + '-'
        + QByteArray::number(modified.toMSecsSinceEpoch(), 16) + (gzipped ? "-gz\"" : "\"");

    HttpResponse response;
    response.contentType = contentType;
    response.cacheControl = options.cacheControl;
    response.extraHeaders = "ETag: " + etag + "\r\nLast-Modified: " + lastModified + "\r\n";
    if (options.allowGzip && isCompressible(contentType))
        response.extraHeaders += "Vary: Accept-Encoding\r\n";

    const std::optional<QByteArray> ifNoneMatch = request.head.header("if-none-match");
    bool notModified = false;
    if (ifNoneMatch) {
        notModified = etagMatches(*ifNoneMatch, etag);
    } else if (const std::optional<QByteArray> since = request.head.header("if-modified-since")) {
        const QDateTime sinceTime = parseHttpDate(*since);
        notModified = sinceTime.isValid() && modified.toSecsSinceEpoch() <= sinceTime.toSecsSinceEpoch();
    }
    if (notModified) {
        response.status = 304;
        return response;
    }

    if (gzipped) {
        if (std::optional<QByteArray> packed = compressedFile(info)) {
            response.extraHeaders += "Content-Encoding: gzip\r\n";
            response.body = std::move(*packed);
            return response;
        }
        // Compression failed: the file as it is, under its identity ETag.
        response.extraHeaders.replace("-gz\"", "\"");
    }

    auto body = std::make_shared<FileBody>();
    body->path = info.absoluteFilePath();
    body->length = size;
    body->progress = options.progress;
    response.extraHeaders += "Accept-Ranges: bytes\r\n";

    const std::optional<QByteArray> rangeHeader = request.head.header("range");
    const std::optional<QByteArray> ifRange = request.head.header("if-range");
    // If-Range: the range only if the client's copy is still this one.
    const bool rangeApplies = rangeHeader
        && (!ifRange || *ifRange == etag || (!ifRange->startsWith('"') && *ifRange == lastModified));
    ByteRange range;
    switch (rangeApplies ? parseRange(*rangeHeader, size, &range) : RangeKind::None) {
    case RangeKind::None:
        break;
    case RangeKind::Unsatisfiable:
        return HttpResponse::text(416, "range not satisfiable",
                                  "Content-Range: bytes */" + QByteArray::number(size) + "\r\n");
    case RangeKind::Satisfiable:
        response.status = 206;
        response.extraHeaders += "Content-Range: bytes " + QByteArray::number(range.first) + '-'
            + QByteArray::number(range.first + range.length - 1) + '/' + QByteArray::number(size) + "\r\n";
        body->offset = range.first;
        body->length = range.length;
        break;
    }
    response.file = std::move(body);
    return response;
}

} // namespace GroupLoop::FileResponder
