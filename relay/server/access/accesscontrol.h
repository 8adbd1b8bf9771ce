// AccessControl: who may do what on this relay. Tokens at the WebSocket upgrade (?token= or
// Authorization: Bearer), in a message auth:<token>, and for the side door's /devices and
// /metrics (/health and /commands.json stay open: load balancers and browser apps read them);
// the ota gate; and the warning when the relay is open to the network without tokens. It
// decides and counts refusals; the relay closes the clients it refuses.
#pragma once

#include "httpresponse.h"
#include "relayauth.h"

#include <QHostAddress>
#include <QString>

#include <optional>

namespace GroupLoop {

class AccessControl
{
public:
    AccessControl(RelayAccess tokens, bool allowOta);

    // At the upgrade: nullopt, with *role what the request's token grants (None without one: it
    // may still send auth:), or the 401 that refuses an unknown token.
    std::optional<HttpResponse> admitUpgrade(const HttpRequestHead &head, const QString &peer,
                                             AccessRole *role);
    // A side-door route for controllers (a HttpRouter::Guard): nullopt, or the 401.
    std::optional<HttpResponse> admitController(const HttpRequest &request);
    // auth:<token> from `who` ("#3 1.2.3.4:5000"): false for an unknown token (close it, see
    // countRefusal()); else *role is raised to what the token grants, never lowered.
    bool authenticate(QByteArrayView token, const QString &who, AccessRole *role) const;

    bool mayControl(AccessRole role) const
    {
        return m_tokens.controllerTokens.isEmpty() || role == AccessRole::Controller;
    }
    bool maySendFrames(AccessRole role) const
    {
        return m_tokens.deviceTokens.isEmpty() || role != AccessRole::None;
    }

    // Why ota is refused to a sender with this role; nullopt when it may go.
    struct Refusal
    {
        QString reason; // for the log
        QString reply; // for the sender
    };
    std::optional<Refusal> refuseOta(AccessRole role) const;

    // A client refused for want of a token (the relay closes it).
    void countRefusal() { ++m_refusals; }
    quint64 refusals() const { return m_refusals; } // unknown tokens and refused actions

    // A warning in the log when bound beyond loopback without controller tokens.
    void warnIfOpenToTheNetwork(const QHostAddress &host, quint16 port) const;

    static QString roleName(AccessRole role);

private:
    RelayAccess m_tokens;
    bool m_allowOta;
    quint64 m_refusals = 0;
};

} // namespace GroupLoop
