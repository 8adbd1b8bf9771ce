#include "tlssession.h"

#include "tlscontext.h"
#include "tlserrors.h"
#include "tlsrecordlayer.h"
#include "tlssessionsecrets.h"

#include <QHostAddress>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <climits>
#include <cstring>

namespace GroupLoop {

// The BIO both directions of every session go through: it reads from the span the current
// feed() was given and appends to the caller's buffer, so a session owns no buffer of its own.
// (BIO_s_mem would keep each direction's peak allocation for the life of the connection.)
struct TlsSessionIo
{
    static int read(BIO *bio, char *buffer, int size)
    {
        auto *session = static_cast<TlsSession *>(BIO_get_data(bio));
        BIO_clear_retry_flags(bio);
        if (session->m_inLeft == 0) {
            BIO_set_retry_read(bio); // "come back with more": never end of stream
            return -1;
        }
        const int n = int(std::min<qsizetype>(size, session->m_inLeft));
        std::memcpy(buffer, session->m_in, size_t(n));
        session->m_in += n;
        session->m_inLeft -= n;
        return n;
    }

    static int write(BIO *bio, const char *data, int size)
    {
        auto *session = static_cast<TlsSession *>(BIO_get_data(bio));
        BIO_clear_retry_flags(bio);
        if (!session->m_out) { // OpenSSL writes only inside our calls; this is a safety net
            BIO_set_retry_write(bio);
            return -1;
        }
        session->m_out->append(data, size);
        return size;
    }

    static long control(BIO *, int command, long, void *)
    {
        return command == BIO_CTRL_FLUSH ? 1 : 0; // nothing is ever pending inside the BIO
    }

    static int create(BIO *bio)
    {
        BIO_set_init(bio, 1);
        return 1;
    }

    static BIO_METHOD *method()
    {
        static BIO_METHOD *const instance = [] {
            BIO_METHOD *m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "grouploop-tls");
            BIO_meth_set_read(m, read);
            BIO_meth_set_write(m, write);
            BIO_meth_set_ctrl(m, control);
            BIO_meth_set_create(m, create);
            return m;
        }();
        return instance;
    }
};

namespace {
constexpr qsizetype ReadChunk = 16 * 1024 + 256; // one record's plaintext at most
}

TlsSession::TlsSession(const TlsContext &context, const QString &peerName)
    : m_ssl(SSL_new(context.handle()))
    , m_client(context.role() == TlsContext::Role::Client)
{
    ERR_clear_error();
    BIO *bio = m_ssl ? BIO_new(TlsSessionIo::method()) : nullptr;
    if (!bio) {
        failWith(QStringLiteral("TLS: cannot create a session: ") + TlsErrors::takeQueue());
        return;
    }
    BIO_set_data(bio, this);
    SSL_set_bio(m_ssl, bio, bio); // the SSL owns it
    if (!m_client) {
        SSL_set_accept_state(m_ssl);
        return;
    }
    SSL_set_connect_state(m_ssl);
    if (peerName.isEmpty())
        return;
    const QByteArray name = peerName.toUtf8();
    const bool isAddress = !QHostAddress(peerName).isNull();
    if (!isAddress) // RFC 6066: SNI carries host names only
        SSL_set_tlsext_host_name(m_ssl, name.constData());
    if (!context.verifiesPeer())
        return;
    X509_VERIFY_PARAM *param = SSL_get0_param(m_ssl);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    const int ok = isAddress ? X509_VERIFY_PARAM_set1_ip_asc(param, name.constData())
                             : X509_VERIFY_PARAM_set1_host(param, name.constData(), size_t(name.size()));
    if (ok != 1)
        failWith(QStringLiteral("TLS: cannot check the certificate against \"%1\"").arg(peerName));
}

TlsSession::~TlsSession()
{
    SSL_free(m_ssl); // frees the BIO too
}

bool TlsSession::start(QByteArray &out)
{
    if (m_state != State::Handshaking)
        return m_state != State::Failed;
    if (!m_client)
        return true;
    m_out = &out;
    finishHandshake();
    m_out = nullptr;
    return m_state != State::Failed;
}

bool TlsSession::feed(QByteArrayView cipher, QByteArray &plain, QByteArray &out)
{
    if (m_state == State::Failed)
        return false;
    if (cipher.isEmpty())
        return true;
    m_in = cipher.data();
    m_inLeft = cipher.size();
    m_out = &out;
    if (m_state == State::Handshaking)
        finishHandshake();
    // Application data may follow the handshake in the same read; after close_notify, what the
    // peer still sends is dropped.
    if (m_state == State::Open || (m_state == State::Closed && !m_peerClosed))
        m_records ? readProtected(plain) : readRecords(plain);
    m_in = nullptr;
    m_inLeft = 0;
    m_out = nullptr;
    return m_state != State::Failed;
}

bool TlsSession::finishHandshake()
{
    ERR_clear_error();
    const qsizetype writtenFrom = m_out->size();
    const int result = SSL_do_handshake(m_ssl);
    if (result == 1) {
        m_state = State::Open;
        handOff(writtenFrom);
        ERR_clear_error();
        return true;
    }
    if (SSL_get_error(m_ssl, result) != SSL_ERROR_WANT_READ)
        fail(result);
    return false;
}

void TlsSession::readRecords(QByteArray &plain)
{
    for (;;) {
        ERR_clear_error();
        const qsizetype before = plain.size();
        plain.resize(before + ReadChunk);
        size_t n = 0;
        const int result = SSL_read_ex(m_ssl, plain.data() + before, size_t(ReadChunk), &n);
        plain.resize(before + qsizetype(n));
        if (result == 1)
            continue;
        const int error = SSL_get_error(m_ssl, result);
        if (error == SSL_ERROR_WANT_READ)
            return; // all taken; a partial record waits inside the SSL
        if (error == SSL_ERROR_ZERO_RETURN) {
            // close_notify: answer it, as TLS asks, and take nothing more.
            m_peerClosed = true;
            if (!m_shutdownSent) {
                m_shutdownSent = true;
                SSL_shutdown(m_ssl);
            }
            m_state = State::Closed;
            ERR_clear_error();
            return;
        }
        fail(result);
        return;
    }
}

bool TlsSession::encrypt(QByteArrayView plain, QByteArray &out)
{
    if (m_state != State::Open)
        return false;
    if (plain.isEmpty())
        return true;
    if (m_records) {
        if (m_records->write(plain, out))
            return true;
        failWith(m_records->errorString());
        m_records.reset();
        return false;
    }
    ERR_clear_error();
    m_out = &out;
    size_t written = 0;
    // The BIO never blocks, so one call writes everything (as records of up to 16 KiB).
    const int result = SSL_write_ex(m_ssl, plain.data(), size_t(plain.size()), &written);
    m_out = nullptr;
    if (result != 1 || written != size_t(plain.size())) {
        fail(result);
        return false;
    }
    return true;
}

void TlsSession::shutdown(QByteArray &out)
{
    if (m_state == State::Failed || m_shutdownSent) {
        if (m_state == State::Open)
            m_state = State::Closed;
        return;
    }
    m_shutdownSent = true;
    if (m_state == State::Handshaking) { // nothing to protect yet: just stop
        m_state = State::Closed;
        return;
    }
    m_state = State::Closed;
    if (m_records) {
        m_records->close(out);
        return;
    }
    ERR_clear_error();
    m_out = &out;
    SSL_shutdown(m_ssl);
    m_out = nullptr;
    ERR_clear_error();
}

QString TlsSession::protocolName() const
{
    if (m_protocolName)
        return QString::fromLatin1(m_protocolName);
    return m_state == State::Handshaking || !m_ssl ? QString() : QString::fromLatin1(SSL_get_version(m_ssl));
}

QString TlsSession::cipherName() const
{
    if (m_cipherName)
        return QString::fromLatin1(m_cipherName);
    const char *name = m_ssl ? SSL_get_cipher_name(m_ssl) : nullptr;
    return name && m_state != State::Handshaking ? QString::fromLatin1(name) : QString();
}

void TlsSession::fail(int sslResult)
{
    const int error = SSL_get_error(m_ssl, sslResult);
    const bool handshaking = m_state == State::Handshaking;
    failWith((handshaking ? QStringLiteral("TLS handshake failed: ") : QStringLiteral("TLS error: "))
             + TlsErrors::describe(m_ssl, error, m_client));
}

void TlsSession::failWith(const QString &error)
{
    m_state = State::Failed;
    m_error = error;
    ERR_clear_error();
}

} // namespace GroupLoop
