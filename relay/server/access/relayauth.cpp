#include "relayauth.h"

#include "tokenfile.h"

#include "httprequesthead.h"

#include <QCryptographicHash>
#include <QUrlQuery>

namespace GroupLoop {

namespace {
QByteArray digestOf(QByteArrayView token)
{
    return QCryptographicHash::hash(token, QCryptographicHash::Sha256);
}
} // namespace

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

void TokenSet::add(const QByteArray &token)
{
    if (!token.isEmpty())
        m_digests.append(digestOf(token));
}

bool TokenSet::addFile(const QString &path, QString *error)
{
    QString why;
    const std::optional<QList<QByteArray>> tokens = TokenFile::read(path, &why);
    if (!tokens) {
        if (error)
            *error = why;
        return false;
    }
    for (const QByteArray &token : *tokens)
        add(token);
    return true;
}

bool TokenSet::contains(QByteArrayView candidate) const
{
    const QByteArray digest = digestOf(candidate);
    bool found = false;
    for (const QByteArray &stored : m_digests)
        found |= constantTimeEquals(stored, digest);
    return found;
}

AccessRole RelayAccess::roleOf(QByteArrayView token) const
{
    // Both sets are always searched, so the time does not tell which one matched.
    const bool controller = controllerTokens.contains(token);
    const bool device = deviceTokens.contains(token);
    if (controller)
        return AccessRole::Controller;
    return device ? AccessRole::Device : AccessRole::None;
}

std::optional<QByteArray> requestToken(const HttpRequestHead &head)
{
    const QUrlQuery query(QString::fromUtf8(head.query()));
    if (query.hasQueryItem(QStringLiteral("token")))
        return query.queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded).toUtf8();
    if (const auto authorization = head.header("authorization")) {
        constexpr QByteArrayView Scheme = "bearer ";
        if (authorization->size() > Scheme.size()
            && authorization->first(Scheme.size()).compare(Scheme, Qt::CaseInsensitive) == 0)
            return authorization->mid(Scheme.size()).trimmed();
        return QByteArray(); // some other scheme: a token that matches nothing
    }
    return std::nullopt;
}

} // namespace GroupLoop
