#include "relayprobe.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>
#include <QUrl>

namespace GroupLoop::RelayProbe {

Result probe(const QHostAddress &host, quint16 port, int timeoutMs)
{
    QNetworkAccessManager network;
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(host.toString());
    url.setPort(port);
    url.setPath(QStringLiteral("/health"));
    QNetworkRequest request(url);
    request.setTransferTimeout(timeoutMs);
    QNetworkReply *reply = network.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs + 200, &loop, &QEventLoop::quit);
    loop.exec();

    Result result;
    if (!reply->isFinished()) {
        reply->abort();
        result.reachable = true;
        result.detail = QObject::tr("port %1 is taken by something that does not answer HTTP").arg(port);
    } else if (reply->error() == QNetworkReply::ConnectionRefusedError) {
        result.detail = QObject::tr("nothing listens on port %1").arg(port);
    } else {
        result.reachable = true;
        const QJsonObject json = QJsonDocument::fromJson(reply->readAll()).object();
        result.isGroupLoop = json.value(QStringLiteral("status")).toString() == QLatin1String("ok")
            && json.value(QStringLiteral("service")).toString() == QLatin1String("grouploop-relay");
        result.version = json.value(QStringLiteral("version")).toString();
        result.detail = result.isGroupLoop
            ? QObject::tr("a GroupLoop relay %1 runs on port %2").arg(result.version).arg(port)
            : QObject::tr("port %1 is taken by another program (%2)")
                  .arg(port)
                  .arg(reply->error() == QNetworkReply::NoError ? QObject::tr("not a GroupLoop /health")
                                                                : reply->errorString());
    }
    reply->deleteLater();
    return result;
}

} // namespace GroupLoop::RelayProbe
