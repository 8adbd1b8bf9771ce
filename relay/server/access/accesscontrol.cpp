#include "accesscontrol.h"

#include "protocol.h"
#include "relaylogging.h"

namespace GroupLoop {

namespace {
const QByteArray BearerChallenge = "WWW-Authenticate: Bearer realm=\"grouploop\"\r\n";
} // namespace

AccessControl::AccessControl(RelayAccess tokens, bool allowOta)
    : m_tokens(std::move(tokens))
    , m_allowOta(allowOta)
{
}

QString AccessControl::roleName(AccessRole role)
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

std::optional<HttpResponse> AccessControl::admitUpgrade(const HttpRequestHead &head, const QString &peer,
                                                        AccessRole *role)
{
    if (!m_tokens.enabled())
        return std::nullopt;
    const std::optional<QByteArray> token = requestToken(head);
    if (!token)
        return std::nullopt; // may still send auth:<token>; until then it has no role
    *role = m_tokens.roleOf(*token);
    if (*role == AccessRole::None) {
        countRefusal();
        qCWarning(lcRelayAuth).noquote()
            << QStringLiteral("[AUTH] %1 offered an unknown token at the upgrade; answered 401").arg(peer);
        return HttpResponse::text(401, "unknown token", BearerChallenge);
    }
    return std::nullopt;
}

std::optional<HttpResponse> AccessControl::admitController(const HttpRequest &request)
{
    if (m_tokens.controllerTokens.isEmpty())
        return std::nullopt;
    const std::optional<QByteArray> token = requestToken(request.head);
    if (token && m_tokens.roleOf(*token) == AccessRole::Controller)
        return std::nullopt;
    countRefusal();
    qCInfo(lcRelayAuth).noquote() << QStringLiteral(
                                         "[AUTH] %1 asked for %2 without a controller token; answered 401")
                                         .arg(request.peer, QString::fromLatin1(request.head.path()));
    return HttpResponse::text(
        401,
        token ? QByteArrayLiteral("unknown token")
              : QByteArrayLiteral("this needs a controller token: Authorization: Bearer <token> or ?token="),
        BearerChallenge);
}

bool AccessControl::authenticate(QByteArrayView token, const QString &who, AccessRole *role) const
{
    if (!m_tokens.enabled())
        return true; // nothing to prove here; clients may always send it
    const AccessRole granted = m_tokens.roleOf(token);
    if (granted == AccessRole::None)
        return false;
    if (granted == AccessRole::Controller || *role == AccessRole::None)
        *role = granted; // never lowered by a second, weaker token
    qCInfo(lcRelayAuth).noquote() << QStringLiteral("[AUTH] %1 is a %2").arg(who, roleName(*role));
    return true;
}

std::optional<AccessControl::Refusal> AccessControl::refuseOta(AccessRole role) const
{
    if (!m_allowOta)
        return Refusal {QStringLiteral("start the relay with --allow-ota and --token"),
                        Protocol::commandRefused(QStringLiteral("ota is disabled on this relay"))};
    if (role != AccessRole::Controller)
        return Refusal {QStringLiteral("the sender did not authenticate with a controller token"),
                        Protocol::commandRefused(QStringLiteral("ota needs an authenticated controller"))};
    return std::nullopt;
}

void AccessControl::warnIfOpenToTheNetwork(const QHostAddress &host, quint16 port) const
{
    if (host.isLoopback() || !m_tokens.controllerTokens.isEmpty())
        return;
    qCWarning(lcRelayAuth).noquote()
        << QStringLiteral("[SECURITY] listening on %1 without --token: anyone who can reach port %2 can "
                          "subscribe to every device and send it commands (bind to 127.0.0.1 or set --token)")
               .arg(host.toString())
               .arg(port);
}

} // namespace GroupLoop
