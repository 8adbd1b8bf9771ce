// Tokens: who may subscribe and command (controllers) and who may send frames (devices).
// A token travels as ?token= in the WebSocket URL, an Authorization: Bearer header, or a first
// message auth:<token>. Comparison takes the same time whatever the token and wherever it
// differs, so the relay's answer time says nothing about how close a guess was.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace GroupLoop {

struct HttpRequestHead;

class TokenSet
{
public:
    // Adds one token; empty tokens are ignored (an empty token would let anybody in).
    void add(const QByteArray &token);
    // Reads one token per line; blank lines and lines starting with # are skipped.
    // On failure returns false and sets *error to one line naming the file.
    bool addFile(const QString &path, QString *error);

    bool isEmpty() const { return m_digests.isEmpty(); }
    qsizetype size() const { return m_digests.size(); }

    // Constant time in the candidate's content: both sides are compared as SHA-256 digests,
    // over every stored token, without an early exit.
    bool contains(QByteArrayView candidate) const;

private:
    QList<QByteArray> m_digests;
};

enum class AccessRole {
    None, // presented nothing valid
    Device, // may send frames
    Controller, // may subscribe, command, and send frames
};

struct RelayAccess
{
    TokenSet controllerTokens;
    TokenSet deviceTokens;

    bool enabled() const { return !controllerTokens.isEmpty() || !deviceTokens.isEmpty(); }
    AccessRole roleOf(QByteArrayView token) const;
};

// The token a WebSocket upgrade or HTTP request carries: ?token= first, then
// Authorization: Bearer. std::nullopt if it carries none.
std::optional<QByteArray> requestToken(const HttpRequestHead &head);

// Constant-time equality of two byte strings of equal length (false if lengths differ).
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

} // namespace GroupLoop
