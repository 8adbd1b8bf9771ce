// OtaFetcher: how a virtual device "downloads its new firmware" during an `ota` command.
// The default fetches the URL over HTTP and discards the bytes; tests inject their own.
#pragma once

#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;

namespace GroupLoop {

class OtaFetcher
{
public:
    using Done = std::function<void(bool ok, const QString &error)>;
    virtual ~OtaFetcher() = default;
    // Fetches `url` and calls `done` exactly once, later, in the caller's thread.
    virtual void fetch(const QUrl &url, Done done) = 0;
};

// GETs the image with QNetworkAccessManager, as the firmware's HTTP client would; the body
// is counted, not kept. Fails on HTTP errors, on bodies over maxBytes, and after timeoutMs.
class NetworkOtaFetcher : public QObject, public OtaFetcher
{
    Q_OBJECT
public:
    explicit NetworkOtaFetcher(QObject *parent = nullptr);
    void fetch(const QUrl &url, Done done) override;

    qint64 maxBytes = 16 * 1024 * 1024;
    // A download that fails on purpose (--ota-fail-rate): it stops after this many bytes.
    qint64 stopAfterBytes = -1;
    int timeoutMs = 60000;

private:
    QNetworkAccessManager *m_network;
};

} // namespace GroupLoop
