// FirmwareController: the console's side of OTA rollouts (docs/ota.md). It speaks the relay's
// HTTP API (/firmware, /ota) on the relay the console is connected to, with the token of its
// URL: lists and uploads images, starts and cancels a rollout, and polls its progress while it
// runs, for the Firmware view (qml/firmware/FirmwareView.qml).
#pragma once

#include <QNetworkAccessManager>
#include <QObject>
#include <QStringList>
#include <QTimer>
#include <QUrl>
#include <QVariantList>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

#include <functional>

class QNetworkReply;

namespace GroupLoop {

class FirmwareController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("the console's Console.firmware")
    Q_PROPERTY(QString relayUrl READ relayUrl WRITE setRelayUrl NOTIFY relayUrlChanged)
    Q_PROPERTY(QStringList images READ images NOTIFY imagesChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    Q_PROPERTY(QString status READ status NOTIFY statusChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(QString rolloutId READ rolloutId NOTIFY rolloutChanged)
    Q_PROPERTY(QString rolloutState READ rolloutState NOTIFY rolloutChanged)
    Q_PROPERTY(bool running READ running NOTIFY rolloutChanged)
    Q_PROPERTY(double totalBytes READ totalBytes NOTIFY rolloutChanged)
    Q_PROPERTY(QVariantMap counts READ counts NOTIFY rolloutChanged)
    Q_PROPERTY(QVariantList devices READ devices NOTIFY rolloutChanged)
public:
    explicit FirmwareController(QObject *parent = nullptr);

    QString relayUrl() const { return m_relayUrl.toString(); }
    void setRelayUrl(const QString &url); // ws(s)://host:port/?token=...
    // The controller token the connection uses (RelayClient keeps it out of URLs); sent as
    // Authorization: Bearer. Empty: none, or the one in the URL.
    void setToken(const QString &token);
    QStringList images() const { return m_images; }
    QString error() const { return m_error; }
    QString status() const { return m_status; }
    bool busy() const { return m_pending > 0; }
    QString rolloutId() const { return m_rollout.value(QStringLiteral("id")).toString(); }
    QString rolloutState() const { return m_rollout.value(QStringLiteral("state")).toString(); }
    bool running() const { return rolloutState() == u"running"; }
    double totalBytes() const { return m_rollout.value(QStringLiteral("total_bytes")).toDouble(); }
    QVariantMap counts() const { return m_rollout.value(QStringLiteral("counts")).toMap(); }
    QVariantList devices() const { return m_rollout.value(QStringLiteral("devices")).toList(); }

    Q_INVOKABLE void refresh(); // GET /firmware, and the latest rollout when none is followed
    Q_INVOKABLE void upload(const QString &localFile); // a path or file: URL; PUT /firmware/<its name>
    // POST /ota; targets ["all"] or ids; batch 0: all at once.
    Q_INVOKABLE void start(const QString &firmware, const QStringList &targets, int batch, double timeoutS);
    Q_INVOKABLE void cancel(); // DELETE /ota/<id>
    // The rollout's rows as CSV (id,state,bytes,total_bytes,error); false with error set.
    Q_INVOKABLE bool exportCsv(const QString &file);

    static constexpr int PollMs = 500;
    static constexpr qint64 MaxUploadBytes = 64 * 1024 * 1024;

Q_SIGNALS:
    void relayUrlChanged();
    void imagesChanged();
    void errorChanged();
    void statusChanged();
    void busyChanged();
    void rolloutChanged();
    void uploaded(const QString &name);

private:
    using Handler = std::function<void(int status, const QByteArray &body)>;
    void send(const QByteArray &verb, const QString &path, const QByteArray &body, Handler handler);
    void poll();
    void followLatest();
    void setRollout(const QByteArray &json);
    void setError(const QString &error);
    void setStatus(const QString &status);

    QNetworkAccessManager m_network;
    QUrl m_relayUrl;
    QUrl m_httpBase;
    QByteArray m_token;
    QStringList m_images;
    QString m_error;
    QString m_status;
    int m_pending = 0;
    QVariantMap m_rollout;
    QTimer m_poll;
};

} // namespace GroupLoop
