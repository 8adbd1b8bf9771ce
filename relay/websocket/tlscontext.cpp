#include "tlscontext.h"

#include "tlserrors.h"
#include "tlssession.h"

#include <QFile>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace GroupLoop {

namespace {

struct BioFree
{
    void operator()(BIO *bio) const { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
struct X509Free
{
    void operator()(X509 *cert) const { X509_free(cert); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;
struct PkeyFree
{
    void operator()(EVP_PKEY *key) const { EVP_PKEY_free(key); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

BioPtr memoryBio(QByteArrayView pem)
{
    return BioPtr(BIO_new_mem_buf(pem.data(), int(pem.size())));
}

// Never asked: keys must be unencrypted (the relay starts unattended).
int noPassword(char *, int, int, void *)
{
    return -1;
}

// The settings every GroupLoop context has, whatever its role.
SSL_CTX *newContext(const SSL_METHOD *method, TlsContext::Version maxVersion)
{
    SSL_CTX *ctx = SSL_CTX_new(method);
    if (!ctx)
        return nullptr;
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_max_proto_version(ctx, maxVersion == TlsContext::Version::Tls12 ? TLS1_2_VERSION : 0);
    // Idle sessions give their 17 KiB read and write buffers back; a relay holds thousands.
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
    // Renegotiation buys nothing here and has a history of attacks and CPU floods.
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
    // No stateful session cache: it would grow with every client. TLS 1.3 resumption still
    // works through stateless tickets; one per handshake is enough.
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_num_tickets(ctx, 1);
    return ctx;
}

bool readFile(const QString &path, const char *what, QByteArray *contents, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1 %2: %3").arg(QLatin1String(what), path, file.errorString());
        return false;
    }
    *contents = file.readAll();
    return true;
}

} // namespace

TlsContext::TlsContext(ssl_ctx_st *ctx, Role role, bool verifiesPeer)
    : m_ctx(ctx)
    , m_role(role)
    , m_verifiesPeer(verifiesPeer)
{
    // Hands each TLS 1.3 session its application traffic secrets, so that it can protect its
    // records itself once the handshake is done (TlsSession, TlsRecordLayer). Nothing is logged.
    if (m_ctx)
        SSL_CTX_set_keylog_callback(m_ctx, TlsSession::keepSecret);
}

TlsContext::~TlsContext()
{
    SSL_CTX_free(m_ctx);
}

void TlsContext::releaseThreadState()
{
    OPENSSL_thread_stop();
}

std::shared_ptr<TlsContext> TlsContext::server(QByteArrayView certChainPem, QByteArrayView keyPem,
                                               QString *error)
{
    ERR_clear_error();
    auto fail = [error](const QString &what) {
        *error = what;
        ERR_clear_error();
        return nullptr;
    };
    BioPtr certBio = memoryBio(certChainPem);
    X509Ptr leaf(PEM_read_bio_X509(certBio.get(), nullptr, noPassword, nullptr));
    if (!leaf)
        return fail(QStringLiteral("certificate: no PEM certificate found"));
    BioPtr keyBio = memoryBio(keyPem);
    PkeyPtr key(PEM_read_bio_PrivateKey(keyBio.get(), nullptr, noPassword, nullptr));
    if (!key) {
        const bool encrypted = keyPem.contains(QByteArrayView("ENCRYPTED"));
        return fail(encrypted ? QStringLiteral("private key: encrypted keys are not supported (decrypt it "
                                               "with openssl pkey)")
                              : QStringLiteral("private key: no unencrypted PEM RSA or EC key found"));
    }
    auto context = std::shared_ptr<TlsContext>(
        new TlsContext(newContext(TLS_server_method(), Version::Tls13), Role::Server, false));
    SSL_CTX *ctx = context->m_ctx;
    if (!ctx)
        return fail(QStringLiteral("cannot create a TLS context: ") + TlsErrors::takeQueue());
    if (SSL_CTX_use_certificate(ctx, leaf.get()) != 1)
        return fail(QStringLiteral("certificate: ") + TlsErrors::takeQueue());
    // The rest of the file is the chain the server sends after its own certificate.
    while (X509Ptr next {PEM_read_bio_X509(certBio.get(), nullptr, noPassword, nullptr)}) {
        if (SSL_CTX_add1_chain_cert(ctx, next.get()) != 1)
            return fail(QStringLiteral("certificate chain: ") + TlsErrors::takeQueue());
    }
    ERR_clear_error(); // the loop ends on "no start line"
    if (SSL_CTX_use_PrivateKey(ctx, key.get()) != 1 || SSL_CTX_check_private_key(ctx) != 1)
        return fail(QStringLiteral("private key does not match the certificate"));
    return context;
}

std::shared_ptr<TlsContext> TlsContext::serverFromFiles(const QString &certPath, const QString &keyPath,
                                                        QString *error)
{
    QByteArray cert;
    QByteArray key;
    if (!readFile(certPath, "certificate", &cert, error) || !readFile(keyPath, "private key", &key, error))
        return nullptr;
    auto context = server(cert, key, error);
    if (!context)
        *error = QStringLiteral("%1, %2: %3").arg(certPath, keyPath, *error);
    return context;
}

std::shared_ptr<TlsContext> TlsContext::client(const ClientOptions &options, QString *error)
{
    ERR_clear_error();
    const bool verify = !options.insecure;
    auto context = std::shared_ptr<TlsContext>(
        new TlsContext(newContext(TLS_client_method(), options.maxVersion), Role::Client, verify));
    SSL_CTX *ctx = context->m_ctx;
    if (!ctx) {
        *error = QStringLiteral("cannot create a TLS context: ") + TlsErrors::takeQueue();
        return nullptr;
    }
    SSL_CTX_set_verify(ctx, verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nullptr);
    if (!verify)
        return context;
    if (options.caFile.isEmpty()) {
        // The system's store (on Debian /etc/ssl/certs), read lazily: costs nothing until used.
        SSL_CTX_set_default_verify_paths(ctx);
        return context;
    }
    QByteArray pem;
    if (!readFile(options.caFile, "CA file", &pem, error))
        return nullptr;
    // Every certificate in the file becomes a trust anchor, so a self-signed relay
    // certificate works as its own CA.
    BioPtr bio = memoryBio(pem);
    X509_STORE *store = SSL_CTX_get_cert_store(ctx);
    int added = 0;
    while (X509Ptr cert {PEM_read_bio_X509(bio.get(), nullptr, noPassword, nullptr)}) {
        if (X509_STORE_add_cert(store, cert.get()) == 1)
            ++added;
    }
    ERR_clear_error();
    if (added == 0) {
        *error = QStringLiteral("CA file %1 holds no PEM certificate").arg(options.caFile);
        return nullptr;
    }
    return context;
}

} // namespace GroupLoop
