#include "relayconnection.h"

#include "clock.h"
#include "inboundmessage.h"
#include "logmodel.h"
#include "protocol.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSslConfiguration>

#include <algorithm>
#include <cmath>

namespace GroupLoop {

namespace {
constexpr int KeepAliveMs = 10000;
constexpr int StatsMs = 1000;
constexpr int CloseGoingAway = 1001; // the relay shuts down
constexpr int CloseTryAgainLater = 1013; // its connection limit
constexpr int CloseUnauthorized = 4401; // a token missing or unknown (docs/protocol.md)
} // namespace

int RelayConnection::backoffDelayMs(const Backoff &backoff, int attempt, double unit)
{
    const double base
        = std::min<double>(backoff.maxMs, backoff.initialMs * std::pow(2.0, std::max(0, attempt - 1)));
    const double factor = 1.0 + backoff.jitter * (2.0 * unit - 1.0);
    return std::clamp(int(std::lround(base * factor)), backoff.initialMs, backoff.maxMs);
}

RelayConnection::Failure RelayConnection::classify(QAbstractSocket::SocketError error,
                                                   const QString &errorString, int closeCode,
                                                   bool wasConnected)
{
    // Qt 6.4's QWebSocket reports an HTTP answer other than 101 only in its error text.
    static const QRegularExpression http401(QStringLiteral("\\b401\\b"));
    static const QRegularExpression http503(QStringLiteral("\\b503\\b"));
    if (closeCode == CloseUnauthorized || errorString.contains(http401))
        return Failure::TokenRefused;
    if (closeCode == CloseTryAgainLater || errorString.contains(http503))
        return Failure::RelayFull;
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        return Failure::Refused;
    case QAbstractSocket::HostNotFoundError:
        return Failure::BadUrl;
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::SslInvalidUserDataError:
        return Failure::Tls;
    default:
        break;
    }
    if (closeCode == CloseGoingAway || wasConnected)
        return Failure::RelayGone;
    return Failure::Other;
}

QString RelayConnection::failureText(Failure failure)
{
    switch (failure) {
    case Failure::None:
        return {};
    case Failure::Refused:
        return tr("Refused: nothing accepts connections at that address");
    case Failure::Tls:
        return tr("TLS error");
    case Failure::TokenRefused:
        return tr("Token refused");
    case Failure::RelayFull:
        return tr("Relay full");
    case Failure::BadUrl:
        return tr("Bad URL: host not found");
    case Failure::RelayGone:
        return tr("Relay gone");
    case Failure::Other:
        return tr("Cannot connect");
    }
    return {};
}

int RelayConnection::parseFrames(QStringView text, qint64 atMs, std::vector<TimedFrame> &out)
{
    return forEachFrameLine(text, [&](quint16, QStringView line) {
        if (const auto frame = SensorFrame::parse(line))
            out.push_back(TimedFrame {*frame, atMs});
    });
}

RelayConnection::RelayConnection(std::shared_ptr<FrameIngest> ingest, QObject *parent)
    : QObject(parent)
    , m_ingest(std::move(ingest))
    , m_retryTimer(this) // parented so moveToThread() takes the timers along
    , m_keepAlive(this)
    , m_statsTimer(this)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &RelayConnection::startSocket);
    m_keepAlive.setInterval(KeepAliveMs);
    connect(&m_keepAlive, &QTimer::timeout, this, [this] {
        if (!m_socket)
            return;
        if (m_awaitingPong) {
            Q_EMIT event(
                LogModel::Warning,
                tr("The relay did not answer a ping within %1 s; reconnecting").arg(KeepAliveMs / 1000));
            m_socket->abort();
            return;
        }
        m_awaitingPong = true;
        m_socket->ping();
    });
    m_statsTimer.setInterval(StatsMs);
    connect(&m_statsTimer, &QTimer::timeout, this,
            [this] { Q_EMIT messageStats(m_messages, m_frames, m_junk); });
    m_batch.reserve(4096);
}

RelayConnection::~RelayConnection()
{
    m_wanted = false;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        delete m_socket;
    }
}

void RelayConnection::setBackoff(int initialMs, int maxMs)
{
    m_backoff.initialMs = std::max(10, initialMs);
    m_backoff.maxMs = std::max(m_backoff.initialMs, maxMs);
}

void RelayConnection::setToken(const QString &token)
{
    m_token = token;
}

void RelayConnection::setTrust(const QList<QSslCertificate> &caCertificates,
                               const QHash<QString, QByteArray> &pinnedSha256)
{
    m_caCertificates = caCertificates;
    m_pinned = pinnedSha256;
}

QString RelayConnection::hostKey() const
{
    return m_url.host() + QLatin1Char(':') + QString::number(m_url.port(443));
}

void RelayConnection::stopWith(State state, const QString &detail)
{
    m_retryTimer.stop();
    if (m_socket) {
        QWebSocket *socket = m_socket;
        m_socket = nullptr;
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
    m_keepAlive.stop();
    failPending(tr("connection lost before the relay replied"));
    setState(state, detail);
}

void RelayConnection::setState(State state, const QString &detail, int retryInMs)
{
    m_state = state;
    Q_EMIT stateChanged(state, detail, retryInMs);
}

void RelayConnection::open(const QUrl &url)
{
    close();
    if (!url.isValid() || (url.scheme() != QLatin1String("ws") && url.scheme() != QLatin1String("wss"))
        || url.host().isEmpty()) {
        setState(State::Failed, tr("'%1' is not a ws:// or wss:// URL").arg(url.toString()));
        return;
    }
    m_url = url;
    m_wanted = true;
    m_attempt = 0;
    startSocket();
    m_statsTimer.start();
}

void RelayConnection::close()
{
    m_wanted = false;
    m_retryTimer.stop();
    m_keepAlive.stop();
    if (m_socket) {
        QWebSocket *socket = m_socket;
        m_socket = nullptr;
        socket->disconnect(this);
        socket->close();
        socket->deleteLater();
    }
    failPending(tr("disconnected before the relay replied"));
    if (m_state != State::Disconnected && m_state != State::Failed)
        setState(State::Disconnected);
}

void RelayConnection::reconnectNow()
{
    if (!m_wanted)
        return;
    m_retryTimer.stop();
    m_attempt = 0;
    if (!m_socket)
        startSocket();
}

void RelayConnection::handleSslErrors(const QList<QSslError> &errors)
{
    if (!m_socket)
        return;
    const QSslCertificate certificate = m_socket->sslConfiguration().peerCertificate();
    const QByteArray sha256 = certificate.digest(QCryptographicHash::Sha256).toHex();
    QStringList reasons;
    for (const QSslError &error : errors)
        reasons << error.errorString();
    const auto pinned = m_pinned.constFind(hostKey());
    if (pinned != m_pinned.constEnd() && !certificate.isNull()) {
        if (*pinned == sha256) {
            m_socket->ignoreSslErrors(errors); // the certificate the user trusted for this host
            return;
        }
        // Not a retry: either the relay got a new certificate or someone is in between.
        m_wanted = false;
        stopWith(State::Failed,
                 tr("TLS error: the certificate of %1 changed since you trusted it (SHA-256 was %2, is now "
                    "%3); not connecting. If the relay's certificate was renewed, forget the old one and "
                    "trust the new one.")
                     .arg(hostKey(), QString::fromLatin1(*pinned), QString::fromLatin1(sha256)));
        return;
    }
    const QString why = reasons.join(QStringLiteral("; "));
    if (certificate.isNull()) {
        stopWith(State::Failed, tr("TLS error: %1").arg(why));
        return;
    }
    Q_EMIT certificateUntrusted(hostKey(), certificate, why);
    stopWith(State::TrustNeeded,
             tr("TLS error: the certificate of %1 is not trusted (%2)").arg(hostKey(), why));
}

void RelayConnection::startSocket()
{
    if (!m_wanted)
        return;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket->setMaxAllowedIncomingMessageSize(64 * 1024 * 1024);
    if (m_url.scheme() == QLatin1String("wss") && !m_caCertificates.isEmpty()) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.addCaCertificates(m_caCertificates);
        m_socket->setSslConfiguration(tls);
    }
    m_wasConnected = false;
    connect(m_socket, &QWebSocket::connected, this, [this] {
        m_wasConnected = true;
        m_awaitingPong = false;
        m_keepAlive.start();
        setState(State::Connected, m_url.toString());
        // The token goes in a message, not the URL, so no URL anywhere holds it.
        if (!m_token.isEmpty())
            m_socket->sendTextMessage(QStringLiteral("auth:") + m_token);
        m_socket->sendTextMessage(QStringLiteral("s"));
    });
    connect(m_socket, &QWebSocket::sslErrors, this, &RelayConnection::handleSslErrors);
    connect(m_socket, &QWebSocket::disconnected, this, &RelayConnection::handleDisconnected);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &RelayConnection::handleText);
    connect(m_socket, &QWebSocket::pong, this, [this] { m_awaitingPong = false; });
    setState(State::Connecting, m_url.toString());
    m_socket->open(m_url);
}

void RelayConnection::handleDisconnected()
{
    QWebSocket *socket = m_socket;
    if (!socket)
        return;
    QString reason = socket->errorString();
    // Without a close frame QWebSocket reports 1000 (normal); only a close frame's code counts.
    const bool closedByRelay = socket->error() == QAbstractSocket::UnknownSocketError || reason.isEmpty()
        || socket->error() == QAbstractSocket::RemoteHostClosedError;
    const int closeCode = closedByRelay ? int(socket->closeCode()) : 0;
    if (closedByRelay && !socket->closeReason().isEmpty())
        reason = socket->closeReason(); // the relay's own words ("subscribing needs a controller token")
    else if (socket->error() == QAbstractSocket::UnknownSocketError || reason.isEmpty())
        reason = socket->closeReason().isEmpty()
            ? tr("the relay closed the connection (code %1)").arg(int(socket->closeCode()))
            : socket->closeReason();
    const Failure failure = classify(socket->error(), reason, closeCode, m_wasConnected);
    const QString detail = failureText(failure) + QStringLiteral(": ") + reason;
    m_socket = nullptr;
    socket->disconnect(this);
    socket->deleteLater();
    m_keepAlive.stop();
    failPending(tr("connection lost before the relay replied"));
    if (m_wanted && failure == Failure::TokenRefused)
        setState(State::TokenNeeded, detail); // retrying cannot help until the token changes
    else if (m_wanted)
        scheduleReconnect(detail);
    else
        setState(State::Disconnected, detail);
}

void RelayConnection::scheduleReconnect(const QString &reason)
{
    ++m_attempt;
    const int delay = backoffDelayMs(m_backoff, m_attempt, QRandomGenerator::global()->generateDouble());
    m_retryTimer.start(delay);
    setState(State::Reconnecting, reason, delay);
}

void RelayConnection::failPending(const QString &reason)
{
    while (!m_pending.isEmpty())
        Q_EMIT commandFailed(m_pending.dequeue(), reason);
}

void RelayConnection::sendCommand(quint64 token, const QString &text)
{
    if (!m_socket || (m_state != State::Connected && m_state != State::Subscribed)) {
        Q_EMIT commandFailed(token, tr("not connected to a relay"));
        return;
    }
    m_pending.enqueue(token);
    m_socket->sendTextMessage(text);
}

void RelayConnection::handleText(const QString &text)
{
    ++m_messages;
    if (text.startsWith(QLatin1String("cmd:"))) {
        if (m_pending.isEmpty()) {
            Q_EMIT event(LogModel::Warning, tr("Reply with no command waiting for it: %1").arg(text));
            return;
        }
        Q_EMIT commandReplied(m_pending.dequeue(), text);
        return;
    }
    if (text == Protocol::streamOn()) {
        m_attempt = 0; // a good connection: the next outage starts the back-off again
        setState(State::Subscribed, m_url.toString());
        return;
    }
    if (text == Protocol::greeting()) {
        Q_EMIT event(LogModel::Info, tr("Relay says: %1").arg(text));
        return;
    }
    if (text == Protocol::pong() || text == Protocol::idOk() || text == Protocol::idError()
        || text == Protocol::authOk())
        return;

    m_batch.clear();
    const int junk = parseFrames(text, Clock::nowMs(), m_batch);
    if (!m_batch.empty()) {
        m_ingest->push(m_batch);
        m_frames += m_batch.size();
    }
    if (junk) {
        m_junk += quint64(junk);
        m_ingest->countMalformed(junk);
        if (m_junk <= 20) // say it, but do not flood the log with a misbehaving relay
            Q_EMIT event(LogModel::Warning,
                         tr("Ignored %1 lines that are not sensor frames: %2").arg(junk).arg(text.left(80)));
    }
}

} // namespace GroupLoop
