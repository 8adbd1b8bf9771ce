// What the /ota and /firmware handlers share: a JSON answer with a status, a one-line refusal,
// and the name after a route's prefix.
#pragma once

#include "httpresponse.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

namespace GroupLoop::OtaHttp {

inline HttpResponse jsonWithStatus(int status, const QJsonObject &object)
{
    HttpResponse response = HttpResponse::json(QJsonDocument(object).toJson(QJsonDocument::Compact));
    response.status = status;
    return response;
}

inline HttpResponse refusal(int status, const QString &why)
{
    return HttpResponse::text(status, why.toUtf8());
}

inline QString nameIn(const HttpRequest &request, int prefixLength)
{
    return QUrl::fromPercentEncoding(request.head.path().mid(prefixLength));
}

} // namespace GroupLoop::OtaHttp
