#include "httprouter.h"

#include <algorithm>

namespace GroupLoop {

namespace {

// Methods in the order answers list them.
const QList<QByteArray> &knownMethods()
{
    static const QList<QByteArray> methods {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"};
    return methods;
}

QByteArray joined(const QList<QByteArray> &methods, const char *separator, const char *last)
{
    QByteArray out;
    for (qsizetype i = 0; i < methods.size(); ++i) {
        if (i > 0)
            out += i + 1 == methods.size() ? last : separator;
        out += methods[i];
    }
    return out;
}

} // namespace

void HttpRouter::add(Route route)
{
    m_routes.append(std::move(route));
}

void HttpRouter::get(const QByteArray &path, Handler handler, Guard guard)
{
    add({{"GET"}, path, false, std::move(handler), std::move(guard), 0});
}

bool HttpRouter::takes(const Route &route, const QByteArray &method)
{
    return route.methods.contains(method) || (method == "HEAD" && route.methods.contains("GET"));
}

bool HttpRouter::matches(const Route &route, const QByteArray &path) const
{
    return route.prefix ? path.startsWith(route.path) : path == route.path;
}

const HttpRouter::Route *HttpRouter::find(const QByteArray &method, const QByteArray &path) const
{
    const Route *best = nullptr;
    for (const Route &route : m_routes) {
        if (!takes(route, method) || !matches(route, path))
            continue;
        if (!route.prefix)
            return &route;
        if (!best || route.path.size() > best->path.size())
            best = &route;
    }
    return best;
}

bool HttpRouter::knows(const QByteArray &path) const
{
    return std::any_of(m_routes.cbegin(), m_routes.cend(),
                       [&](const Route &route) { return matches(route, path); });
}

QList<QByteArray> HttpRouter::methodsFor(const QByteArray &path) const
{
    const bool pathKnown = knows(path);
    QList<QByteArray> methods;
    for (const QByteArray &method : knownMethods()) {
        for (const Route &route : m_routes) {
            if ((!pathKnown || matches(route, path)) && takes(route, method)) {
                methods.append(method);
                break;
            }
        }
    }
    return methods;
}

HttpResponse HttpRouter::answer(const HttpRequest &request) const
{
    // A HEAD answer never carries a body, whatever it says: a kept-alive connection would read
    // that body as the next answer.
    HttpResponse response = answerWithBody(request);
    response.headOnly = request.head.method == "HEAD";
    return response;
}

HttpResponse HttpRouter::answerWithBody(const HttpRequest &request) const
{
    const QByteArray &method = request.head.method;
    const QByteArray path = request.head.path();
    if (method == "OPTIONS") {
        HttpResponse preflight;
        preflight.status = 204;
        preflight.bare = true;
        preflight.extraHeaders = "Access-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: "
            + joined(methodsFor(QByteArray()) << "OPTIONS", ", ", ", ")
            + "\r\nAccess-Control-Allow-Headers: Authorization, Content-Type\r\n";
        return preflight;
    }
    const Route *route = find(method, path);
    if (!route) {
        const QList<QByteArray> allowed = methodsFor(path);
        if (knows(path) || !allowed.contains(method))
            return HttpResponse::text(405,
                                      "only " + joined(QList<QByteArray>(allowed) << "OPTIONS", ", ", " and ")
                                          + " are served here");
        return HttpResponse::text(404, m_notFoundMessage);
    }
    if (route->guard) {
        if (std::optional<HttpResponse> refusal = route->guard(request))
            return *refusal;
    }
    return route->handler(request);
}

} // namespace GroupLoop
