#include "firmwarecontroller.h"

#include "localpath.h"
#include "relayclient.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSaveFile>

namespace GroupLoop {

namespace {
// The relay's 403 for OTA when it runs without --allow-ota (AccessControl::refuseOta).
constexpr QLatin1String OtaRefused("ota is refused: ");
} // namespace

FirmwareController::FirmwareController(RelayClient *relay, QObject *parent)
    : QObject(parent)
    , m_relay(relay)
{
    m_poll.setInterval(PollMs);
    connect(&m_poll, &QTimer::timeout, this, &FirmwareController::poll);
    // Another relay, or another token: what this one allows is not known yet.
    connect(m_relay, &RelayClient::urlChanged, this, [this] { setOta(Ota::Unknown); });
    connect(m_relay, &RelayClient::tokenChanged, this, [this] { setOta(Ota::Unknown); });
}

void FirmwareController::setOta(Ota ota, const QString &refusal)
{
    const QString problem = ota != Ota::Off
        ? QString()
        : tr("The relay refuses firmware rollouts and uploads: %1. To flash devices, start a relay with OTA "
             "on: "
             "grouploop-relay --allow-ota --token-file TOKENS --firmware-dir FOLDER, and connect the "
             "console to it with that controller token. The console's built-in relay never allows OTA.")
              .arg(refusal);
    if (ota == m_ota && problem == m_otaProblem)
        return;
    m_ota = ota;
    m_otaProblem = problem;
    Q_EMIT otaChanged();
}

void FirmwareController::setError(const QString &error)
{
    if (error == m_error)
        return;
    m_error = error;
    Q_EMIT errorChanged();
}

void FirmwareController::setStatus(const QString &status)
{
    if (status == m_status)
        return;
    m_status = status;
    Q_EMIT statusChanged();
}

void FirmwareController::send(const QByteArray &verb, const QString &path, const QByteArray &body,
                              Handler handler)
{
    if (!m_relay->url().isValid() || m_relay->url().host().isEmpty()) {
        setError(tr("not connected to a relay"));
        return;
    }
    QNetworkRequest request(RelayClient::httpUrlFor(m_relay->url(), path));
    request.setTransferTimeout(30000);
    if (m_relay->hasToken())
        request.setRawHeader("Authorization", "Bearer " + m_relay->token().toUtf8());
    if (verb == "POST")
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    QNetworkReply *reply = m_network.sendCustomRequest(request, verb, body);
    ++m_pending;
    Q_EMIT busyChanged();
    connect(reply, &QNetworkReply::finished, this, [this, reply, handler = std::move(handler)] {
        reply->deleteLater();
        --m_pending;
        Q_EMIT busyChanged();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray answer = reply->readAll();
        if (status == 0) {
            setError(reply->errorString());
            return;
        }
        const QString line = QString::fromUtf8(answer).trimmed();
        if (status == 403 && line.startsWith(OtaRefused)) {
            setOta(Ota::Off, line.mid(OtaRefused.size()));
            return; // the view says so, in place of the controls
        }
        if (status >= 400) { // the relay's one line says why
            setError(QStringLiteral("%1: %2").arg(status).arg(QString::fromUtf8(answer).trimmed()));
            return;
        }
        handler(status, answer);
    });
}

void FirmwareController::refresh()
{
    send("GET", QStringLiteral("/firmware"), {}, [this](int, const QByteArray &body) {
        QStringList names;
        const QJsonArray files = QJsonDocument::fromJson(body).object().value(u"files").toArray();
        for (const QJsonValue &file : files)
            names.append(file.toObject().value(u"name").toString());
        if (names != m_images) {
            m_images = names;
            Q_EMIT imagesChanged();
        }
        followLatest();
    });
}

void FirmwareController::followLatest()
{
    // A rollout started elsewhere (curl, another console) shows here too, the latest first.
    send("GET", QStringLiteral("/ota"), {}, [this](int, const QByteArray &body) {
        const QJsonObject listing = QJsonDocument::fromJson(body).object();
        // The relay says whether it would take a rollout from this console, and if not why.
        if (listing.value(u"ota").toString() == QLatin1String("off"))
            setOta(Ota::Off, listing.value(u"refused").toString());
        else if (listing.value(u"ota").toString() == QLatin1String("on"))
            setOta(Ota::On);
        const QJsonArray rollouts = listing.value(u"rollouts").toArray();
        if (rollouts.isEmpty() || running())
            return;
        const QString latest = rollouts.last().toObject().value(u"id").toString();
        if (latest == rolloutId())
            return;
        send("GET", QStringLiteral("/ota/") + latest, {}, [this](int, const QByteArray &answer) {
            m_poll.start();
            setRollout(answer);
        });
    });
}

void FirmwareController::upload(const QString &localFile)
{
    QFile file(localPath(localFile));
    if (!file.open(QIODevice::ReadOnly)) {
        setError(tr("cannot read %1: %2").arg(file.fileName(), file.errorString()));
        return;
    }
    if (file.size() > MaxUploadBytes || file.size() == 0) {
        setError(tr("%1 is empty or over %2 MB").arg(file.fileName()).arg(MaxUploadBytes / (1024 * 1024)));
        return;
    }
    const QString name = QFileInfo(file).fileName();
    setError({});
    setStatus(tr("Uploading %1…").arg(name));
    send("PUT", QStringLiteral("/firmware/") + name, file.readAll(), [this, name](int, const QByteArray &) {
        setStatus(tr("Uploaded %1").arg(name));
        refresh();
        Q_EMIT uploaded(name);
    });
}

void FirmwareController::start(const QString &firmware, const QStringList &targets, int batch,
                               double timeoutS)
{
    QJsonObject body {{QStringLiteral("firmware"), firmware},
                      {QStringLiteral("targets"), QJsonArray::fromStringList(targets)},
                      {QStringLiteral("timeout_s"), timeoutS}};
    if (batch > 0)
        body.insert(QStringLiteral("batch"), batch);
    setError({});
    send("POST", QStringLiteral("/ota"), QJsonDocument(body).toJson(QJsonDocument::Compact),
         [this](int, const QByteArray &answer) {
             m_poll.start();
             setStatus(tr("Rollout started"));
             setRollout(answer); // stops the polling if it already ended
         });
}

void FirmwareController::cancel()
{
    if (rolloutId().isEmpty())
        return;
    send("DELETE", QStringLiteral("/ota/") + rolloutId(), {}, [this](int, const QByteArray &answer) {
        setRollout(answer);
        setStatus(tr("Rollout %1 cancelled").arg(rolloutId()));
    });
}

void FirmwareController::poll()
{
    if (rolloutId().isEmpty() || m_pending > 0)
        return;
    send("GET", QStringLiteral("/ota/") + rolloutId(), {},
         [this](int, const QByteArray &answer) { setRollout(answer); });
}

void FirmwareController::setRollout(const QByteArray &json)
{
    m_rollout = QJsonDocument::fromJson(json).object().toVariantMap();
    const QVariantMap c = counts();
    const bool inFlight = c.value(QStringLiteral("queued")).toInt() + c.value(QStringLiteral("sent")).toInt()
            + c.value(QStringLiteral("downloading")).toInt() + c.value(QStringLiteral("rebooting")).toInt()
        > 0;
    if (!inFlight && !running()) {
        m_poll.stop();
        setStatus(tr("Rollout %1 %2: %3 updated, %4 failed")
                      .arg(rolloutId(), rolloutState())
                      .arg(c.value(QStringLiteral("updated")).toInt())
                      .arg(c.value(QStringLiteral("failed")).toInt()));
    }
    Q_EMIT rolloutChanged();
}

bool FirmwareController::exportCsv(const QString &file)
{
    QSaveFile out(localPath(file));
    QByteArray csv = "id,state,bytes,total_bytes,error\n";
    const QByteArray total = QByteArray::number(qint64(totalBytes()));
    for (const QVariant &row : devices()) {
        const QVariantMap device = row.toMap();
        QByteArray error = device.value(QStringLiteral("error")).toString().toUtf8();
        error.replace('"', "\"\"");
        csv += device.value(QStringLiteral("id")).toString().toUtf8() + ','
            + device.value(QStringLiteral("state")).toString().toUtf8() + ','
            + QByteArray::number(device.value(QStringLiteral("bytes")).toLongLong()) + ',' + total + ",\""
            + error + "\"\n";
    }
    if (!out.open(QIODevice::WriteOnly) || out.write(csv) != csv.size() || !out.commit()) {
        setError(tr("cannot write %1: %2").arg(out.fileName(), out.errorString()));
        return false;
    }
    setStatus(tr("Exported %1 rows to %2").arg(devices().size()).arg(out.fileName()));
    return true;
}

} // namespace GroupLoop
