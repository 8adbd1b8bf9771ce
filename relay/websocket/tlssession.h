// TlsSession: one TLS connection's state (an OpenSSL SSL), with no socket and no buffer of its
// own. The owner moves the bytes: ciphertext it read from the socket goes into feed(), which
// appends the plaintext found to one buffer and whatever must go back to the peer (handshake
// messages, alerts, the answer to close_notify) to another; plaintext to send goes into
// encrypt(), which appends the records to write. Both buffers are the caller's, so a relay can
// use one pair per thread: read what the kernel has, feed it, parse the plaintext; encrypt a
// frame, send() it once. OpenSSL runs the handshake. Once a TLS 1.3 handshake is done, the
// session hands the record protection to TlsRecordLayer (its own, RFC 8446 section 5) and frees
// OpenSSL's SSL object, so an idle TLS 1.3 session costs two AEAD contexts and two secrets
// (about 2 KB; bench_tls measures it). TLS 1.2 sessions keep the SSL, with its record buffers
// released while idle.
//
//     TlsSession tls(*context, host);       // client: host is checked and sent as SNI
//     tls.start(out);                       // client: the ClientHello; send `out`
//     tls.feed(received, plain, out);       // send `out`, use `plain`; state() says where it is
//     tls.encrypt(frame, out);              // once state() is Open
//     tls.shutdown(out);                    // close_notify
//
// A session is not thread-safe; sessions of one context may live in different threads.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <memory>

struct ssl_st; // OpenSSL's SSL

namespace GroupLoop {

class TlsContext;
class TlsRecordLayer;

class TlsSession
{
public:
    enum class State {
        Handshaking,
        Open,
        Closed, // close_notify sent or received: no more application data
        Failed, // errorString() says why; nothing more goes in or out
    };

    // A session in the context's role. Clients name the server (a host name or an IP address):
    // it is sent as SNI (names only) and the certificate must match it unless the context
    // skips verification.
    explicit TlsSession(const TlsContext &context, const QString &peerName = {});
    ~TlsSession();
    TlsSession(const TlsSession &) = delete;
    TlsSession &operator=(const TlsSession &) = delete;

    // Client: appends the first handshake flight to `out`. Server: nothing to do (returns
    // true). False when the session failed.
    bool start(QByteArray &out);

    // Takes every byte of `cipher`. Appends decrypted application data to `plain` and bytes for
    // the peer to `out` (send them even when this returns false: they may carry the alert that
    // says why). False when the session has failed, now or earlier.
    bool feed(QByteArrayView cipher, QByteArray &plain, QByteArray &out);

    // Appends `plain` as TLS records to `out`. False unless the session is open.
    bool encrypt(QByteArrayView plain, QByteArray &out);

    // Appends close_notify to `out` (once) and closes the session for application data.
    void shutdown(QByteArray &out);

    State state() const { return m_state; }
    bool isOpen() const { return m_state == State::Open; }
    bool peerSentCloseNotify() const { return m_peerClosed; }
    // One line saying what failed, e.g. "TLS handshake failed: certificate verify failed:
    // self-signed certificate". Empty unless state() is Failed.
    QString errorString() const { return m_error; }
    // After the handshake: "TLSv1.3", and the cipher suite, for logs.
    QString protocolName() const;
    QString cipherName() const;

private:
    friend struct TlsSessionIo;
    friend class TlsContext;
    struct Secrets;

    // OpenSSL's keylog callback (every context sets it): keeps this session's TLS 1.3
    // application traffic secrets until the hand-off. Never logged.
    static void keepSecret(const ssl_st *ssl, const char *line);
    bool handOff(qsizetype writtenFrom);
    void readProtected(QByteArray &plain);

    bool finishHandshake();
    void readRecords(QByteArray &plain);
    void fail(int sslResult);
    void failWith(const QString &error);

    // What the BIO reads from and writes to, set for the duration of one call.
    const char *m_in = nullptr;
    qsizetype m_inLeft = 0;
    QByteArray *m_out = nullptr;

    ssl_st *m_ssl = nullptr; // null once TLS 1.3 records are m_records'
    std::unique_ptr<Secrets> m_secrets; // during a TLS 1.3 handshake only
    std::unique_ptr<TlsRecordLayer> m_records;
    const char *m_protocolName = nullptr; // OpenSSL's static names, kept at the hand-off
    const char *m_cipherName = nullptr;
    State m_state = State::Handshaking;
    bool m_client = false;
    bool m_peerClosed = false;
    bool m_shutdownSent = false;
    QString m_error;
};

} // namespace GroupLoop
