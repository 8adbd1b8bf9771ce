// TlsSession's hand-off of a TLS 1.3 connection to TlsRecordLayer once the handshake is done:
// the application traffic secrets come through OpenSSL's keylog callback, the records OpenSSL
// already protected with them are counted, and then the SSL object is freed.
#include "tlsrecordlayer.h"
#include "tlssession.h"
#include "tlssessionsecrets.h"

#include <openssl/crypto.h>
#include <openssl/ssl.h>

namespace GroupLoop {

void TlsSession::keepSecret(const ssl_st *ssl, const char *line)
{
    BIO *bio = SSL_get_rbio(ssl);
    auto *session = bio ? static_cast<TlsSession *>(BIO_get_data(bio)) : nullptr;
    const QByteArrayView text {line};
    const bool client = text.startsWith("CLIENT_TRAFFIC_SECRET_0 ");
    if (!session || (!client && !text.startsWith("SERVER_TRAFFIC_SECRET_0 ")))
        return; // handshake secrets, TLS 1.2's master secret: not needed
    // "<label> <client random in hex> <secret in hex>", decoded in place: no copy on the heap.
    const QByteArrayView hex = text.sliced(text.lastIndexOf(' ') + 1);
    if (hex.size() % 2 != 0 || hex.size() > 2 * TlsTrafficKeys::MaxSecret)
        return;
    if (!session->m_secrets)
        session->m_secrets = std::make_unique<Secrets>();
    unsigned char *to = client ? session->m_secrets->client : session->m_secrets->server;
    for (qsizetype i = 0; i < hex.size() / 2; ++i) {
        const int high = OPENSSL_hexchar2int(quint8(hex[2 * i]));
        const int low = OPENSSL_hexchar2int(quint8(hex[2 * i + 1]));
        if (high < 0 || low < 0)
            return; // the length stays 0: no hand-off
        to[i] = quint8(high << 4 | low);
    }
    (client ? session->m_secrets->clientLength : session->m_secrets->serverLength) = hex.size() / 2;
}

// At the end of a TLS 1.3 handshake: the record protection moves to TlsRecordLayer and the SSL
// goes. OpenSSL without read-ahead has read exactly up to the peer's Finished, so the peer has
// sent nothing under the application keys that was read (read sequence 0, checked below by
// SSL_has_pending); what OpenSSL wrote under ours (a server's session tickets) is counted by
// opening it. Anything unusual keeps the SSL, which works as before.
bool TlsSession::handOff(qsizetype writtenFrom)
{
    const std::unique_ptr<Secrets> secrets = std::move(m_secrets);
    if (SSL_version(m_ssl) != TLS1_3_VERSION || !secrets || !secrets->clientLength || !secrets->serverLength
        || SSL_has_pending(m_ssl))
        return false;
    const SSL_CIPHER *cipher = SSL_get_current_cipher(m_ssl);
    const quint16 suite = cipher ? quint16(SSL_CIPHER_get_protocol_id(cipher)) : 0;
    if (!TlsTrafficKeys::supports(suite))
        return false;
    auto records = std::make_unique<TlsRecordLayer>(m_client ? TlsRecordLayer::Role::Client
                                                             : TlsRecordLayer::Role::Server);
    const QByteArrayView client(reinterpret_cast<const char *>(secrets->client), secrets->clientLength);
    const QByteArrayView server(reinterpret_cast<const char *>(secrets->server), secrets->serverLength);
    if (!records->start(suite, m_client ? server : client, m_client ? client : server))
        return false;
    records->adoptWritten(QByteArrayView(*m_out).sliced(writtenFrom));
    m_protocolName = SSL_get_version(m_ssl);
    m_cipherName = SSL_CIPHER_get_name(cipher);
    SSL_free(m_ssl);
    m_ssl = nullptr;
    m_records = std::move(records);
    return true;
}

void TlsSession::readProtected(QByteArray &plain)
{
    const QByteArrayView cipher(m_in, m_inLeft);
    m_in += m_inLeft;
    m_inLeft = 0;
    m_records->read(cipher, plain, *m_out);
    if (m_records->failed()) {
        failWith(m_records->errorString());
        m_records.reset();
    } else if (m_records->peerClosed()) {
        m_peerClosed = true;
        m_shutdownSent = true; // the record layer answered it
        m_state = State::Closed;
    }
}

} // namespace GroupLoop
