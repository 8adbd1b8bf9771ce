// TlsContext: what many TLS sessions share (an OpenSSL SSL_CTX): for a server its certificate
// chain and key, for a client whom it trusts. Built once (a relay's listener, a swarm's
// links), then each TlsSession takes a reference. Sessions keep the context alive themselves
// (OpenSSL counts references), so a context may go before its sessions.
// Settings both roles get: TLS 1.2 or newer, no renegotiation, no session cache, buffers
// released while a session is idle (SSL_MODE_RELEASE_BUFFERS), and a keylog callback that hands
// each TLS 1.3 session its own traffic secrets for its record layer (never written anywhere).
#pragma once

#include <QByteArrayView>
#include <QString>

#include <memory>

struct ssl_ctx_st; // OpenSSL's SSL_CTX; the header stays free of OpenSSL's

namespace GroupLoop {

class TlsContext
{
public:
    enum class Role { Server, Client };
    enum class Version { Tls12, Tls13 };

    struct ClientOptions
    {
        QString caFile; // PEM certificates to trust instead of the system's CAs
        bool insecure = false; // no verification at all (self-signed test relays)
        Version maxVersion = Version::Tls13; // Tls12: for peers (and tests) that need it
    };

    // A server context from PEM text: the certificate chain (leaf first) and an unencrypted
    // RSA or EC private key (PKCS#1, SEC1 or PKCS#8), e.g. a QSslConfiguration's
    // localCertificateChain() and privateKey() as PEM. Null with *error set on failure.
    static std::shared_ptr<TlsContext> server(QByteArrayView certChainPem, QByteArrayView keyPem,
                                              QString *error);
    static std::shared_ptr<TlsContext> serverFromFiles(const QString &certPath, const QString &keyPath,
                                                       QString *error);
    // A client context: verifies the server against the system's CAs, or options.caFile, or
    // not at all (options.insecure). Null with *error set when the CA file is unusable.
    static std::shared_ptr<TlsContext> client(const ClientOptions &options, QString *error);

    // Frees OpenSSL's state for the calling thread (its random generators) at once. OpenSSL
    // frees it when the thread ends, but QThread::wait() returns before that, so a process that
    // exits right after joining a TLS thread would leave it behind. Call it as the thread ends
    // (QThread::finished, direct connection); a later use in the thread just sets it up again.
    static void releaseThreadState();

    ~TlsContext();
    TlsContext(const TlsContext &) = delete;
    TlsContext &operator=(const TlsContext &) = delete;

    Role role() const { return m_role; }
    bool verifiesPeer() const { return m_verifiesPeer; }
    ssl_ctx_st *handle() const { return m_ctx; } // for TlsSession

private:
    TlsContext(ssl_ctx_st *ctx, Role role, bool verifiesPeer);

    ssl_ctx_st *m_ctx;
    Role m_role;
    bool m_verifiesPeer;
};

} // namespace GroupLoop
