#include "relayclient.h"

#include "devicestore.h"
#include "logmodel.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QSslConfiguration>
#include <QUrlQuery>

#include <utility>

namespace GroupLoop {

namespace {
constexpr int HttpTimeoutMs = 3000;

constexpr bool sameState(RelayConnection::State connection, RelayClient::State client)
{
    return int(connection) == int(client);
}
static_assert(sameState(RelayConnection::State::Disconnected, RelayClient::Disconnected)
                  && sameState(RelayConnection::State::Connecting, RelayClient::Connecting)
                  && sameState(RelayConnection::State::Connected, RelayClient::Connected)
                  && sameState(RelayConnection::State::Subscribed, RelayClient::Subscribed)
                  && sameState(RelayConnection::State::Reconnecting, RelayClient::Reconnecting)
                  && sameState(RelayConnection::State::Failed, RelayClient::Failed)
                  && sameState(RelayConnection::State::TokenNeeded, RelayClient::TokenNeeded)
                  && sameState(RelayConnection::State::TrustNeeded, RelayClient::TrustNeeded),
              "RelayClient::State must list RelayConnection::State's values in the same order");
} // namespace

RelayClient::RelayClient(DeviceStore *store, QObject *parent)
    : CommandTransport(parent)
{
    qRegisterMetaType<RelayConnection::State>();
    m_connection = new RelayConnection(store->ingest());
    m_connection->moveToThread(&m_thread);
    m_thread.setObjectName(QStringLiteral("relay-client"));
    m_thread.start();

    connect(m_connection, &RelayConnection::stateChanged, this, &RelayClient::onConnectionState);
    connect(m_connection, &RelayConnection::commandReplied, this, &CommandTransport::commandReplied);
    connect(m_connection, &RelayConnection::commandFailed, this, &CommandTransport::commandFailed);
    connect(m_connection, &RelayConnection::event, this, [this](int level, const QString &text) {
        Q_EMIT logEvent(level, QStringLiteral("relay"), text);
    });
    connect(m_connection, &RelayConnection::certificateUntrusted, this,
            [this](const QString &host, const QSslCertificate &certificate, const QString &errors) {
                m_certificate = describeCertificate(certificate);
                m_certificate.insert(QStringLiteral("host"), host);
                m_certificate.insert(QStringLiteral("errors"), errors);
                Q_EMIT certificateChanged();
            });
    connect(m_connection, &RelayConnection::messageStats, this,
            [this](quint64 messages, quint64 frames, quint64) {
                m_messages = messages;
                m_frames = frames;
                Q_EMIT statsChanged();
            });

    m_countdown.setInterval(250);
    connect(&m_countdown, &QTimer::timeout, this, &RelayClient::stateTextChanged);
    m_healthTimer.setInterval(3000);
    connect(&m_healthTimer, &QTimer::timeout, this, &RelayClient::pollHealth);
    m_network.setTransferTimeout(HttpTimeoutMs);
}

RelayClient::~RelayClient()
{
    // Deleted in its own thread as that thread ends (QThread::finished is emitted there). A queued
    // call would be dropped when the application object is already gone, leaking the connection.
    RelayConnection *connection = std::exchange(m_connection, nullptr);
    connect(&m_thread, &QThread::finished, [connection] { delete connection; });
    m_thread.quit();
    m_thread.wait();
}

bool RelayClient::isRelayUrl(const QUrl &url, QString *error)
{
    QString problem;
    if (!url.isValid())
        problem = tr("'%1' is not a valid URL: %2").arg(url.toString(), url.errorString());
    else if (url.scheme() != QLatin1String("ws") && url.scheme() != QLatin1String("wss"))
        problem = tr("'%1' must start with ws:// or wss://").arg(url.toString());
    else if (url.host().isEmpty())
        problem = tr("'%1' has no host").arg(url.toString());
    if (error)
        *error = problem;
    return problem.isEmpty();
}

QString RelayClient::takeToken(QUrl *url)
{
    QUrlQuery query(*url);
    const QString token = query.queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded);
    if (!query.hasQueryItem(QStringLiteral("token")))
        return {};
    query.removeAllQueryItems(QStringLiteral("token"));
    url->setQuery(query.isEmpty() ? QString() : query.query());
    return token;
}

QVariantMap RelayClient::describeCertificate(const QSslCertificate &certificate)
{
    const auto joined = [](const QStringList &parts) { return parts.join(QStringLiteral(", ")); };
    const QByteArray sha256 = certificate.digest(QCryptographicHash::Sha256).toHex();
    QString grouped; // AB:CD:... as browsers show it
    for (int i = 0; i < sha256.size(); i += 2)
        grouped += (i ? QStringLiteral(":") : QString()) + QString::fromLatin1(sha256.mid(i, 2)).toUpper();
    return {
        {QStringLiteral("subject"), joined(certificate.subjectInfo(QSslCertificate::CommonName))},
        {QStringLiteral("subjectNames"), joined(certificate.subjectAlternativeNames().values())},
        {QStringLiteral("issuer"), joined(certificate.issuerInfo(QSslCertificate::CommonName))},
        {QStringLiteral("validFrom"), certificate.effectiveDate().toString(Qt::ISODate)},
        {QStringLiteral("validTo"), certificate.expiryDate().toString(Qt::ISODate)},
        {QStringLiteral("sha256"), QString::fromLatin1(sha256)},
        {QStringLiteral("fingerprint"), grouped},
    };
}

QUrl RelayClient::httpUrlFor(const QUrl &wsUrl, const QString &path)
{
    QUrl http = wsUrl;
    http.setScheme(wsUrl.scheme() == QLatin1String("wss") ? QStringLiteral("https") : QStringLiteral("http"));
    http.setPath(path);
    http.setQuery(QString());
    return http;
}

void RelayClient::setBackoff(int initialMs, int maxMs)
{
    QMetaObject::invokeMethod(m_connection, "setBackoff", Qt::QueuedConnection, Q_ARG(int, initialMs),
                              Q_ARG(int, maxMs));
}

void RelayClient::setCaCertificates(const QList<QSslCertificate> &certificates)
{
    m_caCertificates = certificates;
    pushTrust();
}

void RelayClient::setPinnedCertificates(const QHash<QString, QByteArray> &pins)
{
    m_pins = pins;
    pushTrust();
}

void RelayClient::pushTrust()
{
    QMetaObject::invokeMethod(
        m_connection,
        [connection = m_connection, ca = m_caCertificates, pins = m_pins] { connection->setTrust(ca, pins); },
        Qt::QueuedConnection);
}

void RelayClient::setToken(const QString &token)
{
    const QString trimmed = token.trimmed();
    const bool changed = trimmed != m_token;
    m_token = trimmed;
    QMetaObject::invokeMethod(
        m_connection, [connection = m_connection, trimmed] { connection->setToken(trimmed); },
        Qt::QueuedConnection);
    if (changed)
        Q_EMIT tokenChanged();
    if (m_state == TokenNeeded)
        reconnectNow();
}

void RelayClient::enterToken(const QString &token)
{
    m_tokenEntered = !token.trimmed().isEmpty();
    setToken(token);
}

QString RelayClient::hostKeyFor(const QUrl &url)
{
    return url.host() + QLatin1Char(':')
        + QString::number(url.port(url.scheme() == QLatin1String("wss") ? 443 : 80));
}

void RelayClient::trustCertificate()
{
    if (m_certificate.isEmpty())
        return;
    const QString host = m_certificate.value(QStringLiteral("host")).toString();
    m_pins.insert(host, m_certificate.value(QStringLiteral("sha256")).toByteArray());
    Q_EMIT logEvent(LogModel::Info, QStringLiteral("connection"),
                    tr("Trusting the certificate %1 for %2")
                        .arg(m_certificate.value(QStringLiteral("sha256")).toString(), host));
    m_certificate.clear();
    Q_EMIT certificateChanged();
    Q_EMIT pinnedCertificatesChanged();
    pushTrust();
    reconnectNow();
}

void RelayClient::rejectCertificate()
{
    if (m_certificate.isEmpty())
        return;
    m_certificate.clear();
    Q_EMIT certificateChanged();
    disconnectFromRelay();
    onConnectionState(RelayConnection::State::Failed,
                      tr("TLS error: the relay's certificate is not trusted (start with --ca-file, or "
                         "press Reconnect and trust it)"),
                      0);
}

void RelayClient::connectTo(const QUrl &requested)
{
    QUrl url = requested;
    const QString token = takeToken(&url);
    if (!token.isEmpty())
        setToken(token);
    m_url = url;
    Q_EMIT urlChanged();
    QString error;
    if (!isRelayUrl(url, &error)) {
        onConnectionState(RelayConnection::State::Failed, error, 0);
        return;
    }
    QMetaObject::invokeMethod(m_connection, "open", Qt::QueuedConnection, Q_ARG(QUrl, url));
}

void RelayClient::disconnectFromRelay()
{
    QMetaObject::invokeMethod(m_connection, "close", Qt::QueuedConnection);
}

void RelayClient::reconnectNow()
{
    if (m_state == Disconnected || m_state == Failed || m_state == TrustNeeded) {
        connectTo(m_url);
        return;
    }
    QMetaObject::invokeMethod(m_connection, "reconnectNow", Qt::QueuedConnection);
}

void RelayClient::sendCommandText(quint64 token, const QString &text)
{
    QMetaObject::invokeMethod(m_connection, "sendCommand", Qt::QueuedConnection, Q_ARG(quint64, token),
                              Q_ARG(QString, text));
}

QString RelayClient::stateText() const
{
    switch (m_state) {
    case Disconnected:
        return tr("Disconnected");
    case Connecting:
        return tr("Connecting…");
    case Connected:
        return tr("Connected, subscribing…");
    case Subscribed:
        return tr("Connected");
    case Reconnecting: {
        // The reason first: "Refused: ... · retrying in 4 s".
        const qint64 left = qMax<qint64>(0, m_retryInMs - m_retryClock.elapsed());
        const QString reason = m_detail.section(QLatin1Char(':'), 0, 0);
        return tr("%1 · retrying in %2 s").arg(reason).arg((left + 999) / 1000);
    }
    case Failed:
        return m_detail;
    case TokenNeeded:
        return hasToken() ? tr("Token refused: enter the relay's controller token")
                          : tr("Token needed: enter the relay's controller token");
    case TrustNeeded:
        return tr("Untrusted certificate: check it and decide");
    }
    return {};
}

void RelayClient::onConnectionState(RelayConnection::State state, const QString &detail, int retryInMs)
{
    const State previous = m_state;
    m_state = State(int(state));
    m_detail = detail;
    m_retryInMs = retryInMs;
    m_retryClock.start();
    if (m_state == Reconnecting)
        m_countdown.start();
    else
        m_countdown.stop();

    switch (m_state) {
    case Connected:
        Q_EMIT logEvent(LogModel::Info, QStringLiteral("connection"), tr("Connected to %1").arg(detail));
        pollHealth();
        fetchRegistry();
        m_healthTimer.start();
        break;
    case Subscribed:
        Q_EMIT logEvent(LogModel::Info, QStringLiteral("connection"), tr("Subscribed to the frame stream"));
        if (m_tokenEntered && !m_token.isEmpty()) {
            m_tokenEntered = false;
            Q_EMIT tokenAccepted(hostKey(), m_token);
        }
        break;
    case Reconnecting:
        Q_EMIT logEvent(LogModel::Warning, QStringLiteral("connection"),
                        tr("Connection to %1 lost or refused (%2); retrying in %3 ms")
                            .arg(m_url.toString(), detail)
                            .arg(retryInMs));
        m_healthTimer.stop();
        break;
    case Failed:
    case TokenNeeded:
    case TrustNeeded:
        Q_EMIT logEvent(LogModel::Error, QStringLiteral("connection"), tr("Cannot connect: %1").arg(detail));
        m_healthTimer.stop();
        break;
    case Disconnected:
        if (previous != Disconnected)
            Q_EMIT logEvent(LogModel::Info, QStringLiteral("connection"), tr("Disconnected"));
        m_healthTimer.stop();
        break;
    case Connecting:
        break;
    }
    if (previous == Subscribed || previous == Connected || m_state == Subscribed || m_state == Connected)
        Q_EMIT readyChanged();
    Q_EMIT stateChanged();
    Q_EMIT stateTextChanged();
}

QNetworkReply *RelayClient::get(const QString &path)
{
    // The side door trusts what the WebSocket trusts: --ca-file and the certificates pinned here.
    QNetworkRequest request(httpUrlFor(m_url, path));
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    if (m_url.scheme() == QLatin1String("wss") && !m_caCertificates.isEmpty()) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.addCaCertificates(m_caCertificates);
        request.setSslConfiguration(tls);
    }
    QNetworkReply *reply = m_network.get(request);
    const QByteArray pin = m_pins.value(hostKey());
    if (!pin.isEmpty()) {
        connect(reply, &QNetworkReply::sslErrors, this, [reply, pin](const QList<QSslError> &errors) {
            if (reply->sslConfiguration().peerCertificate().digest(QCryptographicHash::Sha256).toHex() == pin)
                reply->ignoreSslErrors(errors);
        });
    }
    return reply;
}

void RelayClient::pollHealth()
{
    QNetworkReply *reply = get(QStringLiteral("/health"));
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        // A reply that timed out is closed, and reading it warns "device not open".
        const bool answered = reply->error() == QNetworkReply::NoError;
        const QJsonObject json
            = answered ? QJsonDocument::fromJson(reply->readAll()).object() : QJsonObject();
        const bool ok = answered && !json.isEmpty();
        const bool was = m_healthAvailable;
        m_healthAvailable = ok;
        if (ok) {
            m_health = json.toVariantMap();
            m_healthText = tr("relay %1 · up %2 s · %3 devices · %4 subscribers · %5 connections")
                               .arg(json.value(QStringLiteral("version")).toString())
                               .arg(qint64(json.value(QStringLiteral("uptime_s"))
                                               .toDouble(json.value(QStringLiteral("uptime")).toDouble())))
                               .arg(json.value(QStringLiteral("devices")).toInt())
                               .arg(json.value(QStringLiteral("subscribers")).toInt())
                               .arg(json.value(QStringLiteral("connections")).toInt());
        } else {
            m_health.clear();
            m_healthText = tr("no /health (%1)").arg(reply->errorString());
            if (was)
                Q_EMIT logEvent(LogModel::Warning, QStringLiteral("relay"),
                                tr("Health check failed: %1").arg(reply->errorString()));
        }
        Q_EMIT healthChanged();
    });
}

void RelayClient::fetchRegistry()
{
    QNetworkReply *reply = get(QStringLiteral("/commands.json"));
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        QString error;
        std::optional<CommandRegistry> fetched;
        if (reply->error() == QNetworkReply::NoError)
            fetched = CommandRegistry::fromJson(reply->readAll(), &error);
        else
            error = reply->errorString();
        if (fetched && !fetched->isEmpty()) {
            m_registry = *fetched;
            Q_EMIT logEvent(LogModel::Info, QStringLiteral("relay"),
                            tr("Loaded %1 commands from the relay's /commands.json").arg(fetched->size()));
        } else {
            m_registry = CommandRegistry::builtIn();
            Q_EMIT logEvent(
                LogModel::Warning, QStringLiteral("relay"),
                tr("Using the built-in command list; /commands.json unavailable (%1)").arg(error));
        }
        Q_EMIT registryChanged();
    });
}

} // namespace GroupLoop
