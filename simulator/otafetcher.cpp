#include "otafetcher.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <memory>

namespace GroupLoop {

NetworkOtaFetcher::NetworkOtaFetcher(QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
{
}

void NetworkOtaFetcher::fetch(const QUrl &url, Done done)
{
    QNetworkRequest request(url);
    request.setTransferTimeout(timeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    QNetworkReply *reply = m_network->get(request);
    auto received = std::make_shared<qint64>(0);
    connect(reply, &QNetworkReply::readyRead, reply, [this, reply, received] {
        *received += reply->skip(reply->bytesAvailable());
        if (*received > maxBytes || (stopAfterBytes >= 0 && *received >= stopAfterBytes))
            reply->abort();
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply, received, done = std::move(done)] {
        reply->deleteLater();
        if (stopAfterBytes >= 0 && *received >= stopAfterBytes) {
            done(false, QStringLiteral("download stopped after %1 bytes (--ota-fail-rate)").arg(*received));
            return;
        }
        if (*received > maxBytes) {
            done(false,
                 QStringLiteral("firmware image larger than ") + QString::number(maxBytes)
                     + QStringLiteral(" bytes"));
            return;
        }
        if (reply->error() != QNetworkReply::NoError) {
            done(false, reply->errorString());
            return;
        }
        done(true, {});
    });
}

} // namespace GroupLoop
