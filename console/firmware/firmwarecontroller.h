// FirmwareController: the console's side of OTA rollouts (docs/ota.md). It speaks the relay's
// HTTP API (/firmware, /ota) on the relay its RelayClient is connected to, with that
// connection's controller token (read from the client at each request: one source of truth):
// lists and uploads images, starts and cancels a rollout, and polls its progress while it runs,
// for the Firmware view (qml/firmware/FirmwareView.qml). A relay started without --allow-ota
// answers every rollout or upload with 403; its GET /ota says so ("ota": "off" and the reason),
// which the controller shows in otaAvailable and otaProblem.
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

class RelayClient;

class FirmwareController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("the console's Console.firmware")
    // False once the relay said OTA is off (403 "ota is refused: ..."); otaProblem says why and
    // how to turn it on. True while unknown (not asked yet, or another relay).
    Q_PROPERTY(bool otaAvailable READ otaAvailable NOTIFY otaChanged)
    Q_PROPERTY(QString otaProblem READ otaProblem NOTIFY otaChanged)
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
    // `relay`: the connection whose relay and controller token (Authorization: Bearer) are used.
    explicit FirmwareController(RelayClient *relay, QObject *parent = nullptr);

    bool otaAvailable() const { return m_ota != Ota::Off; }
    QString otaProblem() const { return m_otaProblem; }
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

    // GET /firmware, the latest rollout when none is followed, and whether OTA is on (asked
    // again until the relay says it is).
    Q_INVOKABLE void refresh();
    Q_INVOKABLE void upload(const QString &localFile); // a path or file: URL; PUT /firmware/<its name>
    // POST /ota; targets ["all"] or ids; batch 0: all at once.
    Q_INVOKABLE void start(const QString &firmware, const QStringList &targets, int batch, double timeoutS);
    Q_INVOKABLE void cancel(); // DELETE /ota/<id>
    // The rollout's rows as CSV (id,state,bytes,total_bytes,error); false with error set.
    Q_INVOKABLE bool exportCsv(const QString &file);

    static constexpr int PollMs = 500;
    static constexpr qint64 MaxUploadBytes = 64 * 1024 * 1024;

Q_SIGNALS:
    void otaChanged();
    void imagesChanged();
    void errorChanged();
    void statusChanged();
    void busyChanged();
    void rolloutChanged();
    void uploaded(const QString &name);

private:
    using Handler = std::function<void(int status, const QByteArray &body)>;
    enum class Ota { Unknown, On, Off };
    // `handler` gets every answer below 400; a refusal is shown as the error.
    void send(const QByteArray &verb, const QString &path, const QByteArray &body, Handler handler);
    void setOta(Ota ota, const QString &refusal = {});
    void poll();
    void followLatest();
    void setRollout(const QByteArray &json);
    void setError(const QString &error);
    void setStatus(const QString &status);

    QNetworkAccessManager m_network;
    RelayClient *m_relay;
    Ota m_ota = Ota::Unknown;
    QString m_otaProblem;
    QStringList m_images;
    QString m_error;
    QString m_status;
    int m_pending = 0;
    QVariantMap m_rollout;
    QTimer m_poll;
};

} // namespace GroupLoop
