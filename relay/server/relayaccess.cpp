// Who may do what: tokens at the WebSocket upgrade (?token= or Authorization: Bearer), in a
// first message auth:<token>, and for the HTTP side door's /devices and /metrics.
// /health and /commands.json stay open: load balancers and browser apps read them.
#include "httprequesthead.h"
#include "protocol.h"
#include "relaylogging.h"
#include "relayserver_p.h"
#include "websocketrfc.h"

#include <QTcpServer>
#include <QTcpSocket>

namespace GroupLoop {

namespace {
const QByteArray BearerChallenge = "WWW-Authenticate: Bearer realm=\"grouploop\"\r\n";

QString roleName(AccessRole role)
{
    switch (role) {
    case AccessRole::Controller:
        return QStringLiteral("controller");
    case AccessRole::Device:
        return QStringLiteral("device");
    case AccessRole::None:
        break;
    }
    return QStringLiteral("none");
}
} // namespace

bool RelayServerPrivate::admitUpgrade(QTcpSocket *socket, const HttpRequestHead &head, AccessRole *role)
{
    if (!config.access.enabled())
        return true;
    const std::optional<QByteArray> token = requestToken(head);
    if (!token)
        return true; // may still send auth:<token>; until then it has no role
    *role = config.access.roleOf(*token);
    if (*role == AccessRole::None) {
        ++stats.authFailures;
        qCWarning(lcRelayAuth).noquote()
            << QStringLiteral("[AUTH] %1 offered an unknown token at the upgrade; answered 401")
                   .arg(socket->peerAddress().toString());
        writeHttpError(socket, 401, "unknown token", BearerChallenge);
        return false;
    }
    return true;
}

bool RelayServerPrivate::admitHttp(QTcpSocket *socket, const HttpRequestHead &head)
{
    if (config.access.controllerTokens.isEmpty())
        return true;
    const std::optional<QByteArray> token = requestToken(head);
    if (token && config.access.roleOf(*token) == AccessRole::Controller)
        return true;
    ++stats.authFailures;
    qCInfo(lcRelayAuth).noquote() << QStringLiteral(
                                         "[AUTH] %1 asked for %2 without a controller token; answered 401")
                                         .arg(socket->peerAddress().toString(),
                                              QString::fromLatin1(head.path()));
    writeHttpError(
        socket, 401,
        token ? QByteArrayLiteral("unknown token")
              : QByteArrayLiteral("this needs a controller token: Authorization: Bearer <token> or ?token="),
        BearerChallenge);
    return false;
}

void RelayServerPrivate::onAuthenticate(Client *client, const QString &token)
{
    if (!config.access.enabled()) {
        send(client, Protocol::authOk()); // nothing to prove here; clients may always send it
        return;
    }
    const AccessRole role = config.access.roleOf(token.toUtf8());
    if (role == AccessRole::None) {
        closeUnauthorized(client, QStringLiteral("unknown token"));
        return;
    }
    if (role == AccessRole::Controller || client->role == AccessRole::None)
        client->role = role; // never lowered by a second, weaker token
    qCInfo(lcRelayAuth).noquote() << QStringLiteral("[AUTH] #%1 %2 is a %3")
                                         .arg(client->serial)
                                         .arg(client->peer, roleName(client->role));
    send(client, Protocol::authOk());
}

void RelayServerPrivate::closeUnauthorized(Client *client, const QString &reason)
{
    ++stats.authFailures;
    qCWarning(lcRelayAuth).noquote()
        << QStringLiteral("[AUTH] #%1 %2 closed: %3").arg(client->serial).arg(client->peer, reason);
    closeClient(client, WebSocketRfc::CloseUnauthorized, reason);
}

void RelayServerPrivate::warnIfOpenToTheNetwork() const
{
    if (config.host.isLoopback() || !config.access.controllerTokens.isEmpty())
        return;
    qCWarning(lcRelayAuth).noquote()
        << QStringLiteral("[SECURITY] listening on %1 without --token: anyone who can reach port %2 can "
                          "subscribe to every device and send it commands (bind to 127.0.0.1 or set --token)")
               .arg(config.host.toString())
               .arg(m_tcpServer ? m_tcpServer->serverPort() : config.port);
}

} // namespace GroupLoop
