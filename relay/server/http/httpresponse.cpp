#include "httpresponse.h"

namespace GroupLoop {

HttpResponse HttpResponse::text(int status, const QByteArray &message, const QByteArray &extraHeaders)
{
    HttpResponse response;
    response.status = status;
    response.contentType = "text/plain; charset=utf-8";
    response.body = message + '\n';
    response.extraHeaders = extraHeaders;
    return response;
}

HttpResponse HttpResponse::json(QByteArray body)
{
    HttpResponse response;
    response.contentType = "application/json";
    response.body = std::move(body);
    return response;
}

HttpResponse HttpResponse::redirect(const QByteArray &location)
{
    return text(302, "see " + location, "Location: " + location + "\r\n");
}

qint64 HttpResponse::contentLength() const
{
    return file ? file->length : body.size();
}

QByteArray HttpResponse::reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 206:
        return "Partial Content";
    case 302:
        return "Found";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 416:
        return "Range Not Satisfiable";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Error";
    }
}

QByteArray HttpResponse::toBytes() const
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    if (bare)
        return out + extraHeaders + "Connection: close\r\n\r\n";
    out += "Server: grouploop-relay/" GROUPLOOP_VERSION "\r\n";
    out += extraHeaders;
    if (status != 304) { // a 304 has no body, so nothing describes one
        out += "Content-Type: " + contentType + "\r\n";
        out += "Content-Length: " + QByteArray::number(contentLength()) + "\r\n";
    }
    out += "Access-Control-Allow-Origin: *\r\n";
    out += "Cache-Control: " + cacheControl + "\r\n";
    if (keepAlive) {
        out += "Connection: keep-alive\r\nKeep-Alive: timeout=" + QByteArray::number(keepAliveTimeoutS)
            + ", max=" + QByteArray::number(keepAliveMax) + "\r\n\r\n";
    } else {
        out += "Connection: close\r\n\r\n";
    }
    if (!headOnly && status != 304)
        out += body;
    return out;
}

} // namespace GroupLoop
