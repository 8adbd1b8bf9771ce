// TlsRecordLayer: TLS 1.3's record protection (RFC 8446 section 5) for an established
// connection, once the handshake is done. TlsSession hands a TLS 1.3 connection over to it and
// frees OpenSSL's SSL object, whose idle record layer alone is about 7.6 KB (OpenSSL 3.0 keeps
// 32 pipeline slots per connection); what stays per connection is the two AEAD contexts, the two
// traffic secrets and a few counters (TlsTrafficKeys, one per direction).
//
// After the handshake TLS 1.3 carries application data, alerts and a few handshake messages:
// KeyUpdate (either side; answered when the peer asks) and NewSessionTicket (server to client;
// a client ignores it). Anything else fails the connection with a fatal alert. Like TlsSession
// it owns no buffer while idle: whole records are opened straight from the caller's span, and
// only a record split across reads is kept until it is complete.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include "tlstraffickeys.h"

namespace GroupLoop {

class TlsRecordLayer
{
public:
    enum class Role { Client, Server };
    static constexpr qsizetype MaxPlaintext = 16384; // 2^14, per record

    explicit TlsRecordLayer(Role role);
    TlsRecordLayer(const TlsRecordLayer &) = delete;
    TlsRecordLayer &operator=(const TlsRecordLayer &) = delete;

    // Takes the application traffic secrets (read: the peer's, write: ours) and the number of
    // records already protected with each. False with errorString() set on failure.
    bool start(quint16 suite, QByteArrayView readSecret, QByteArrayView writeSecret, quint64 readSequence = 0,
               quint64 writeSequence = 0);

    // How many of the whole records in `written` are protected with the write key at the next
    // sequence numbers (others are skipped), and advances the write sequence past them: at the
    // switch, this counts what OpenSSL already sent under the application keys (a server's
    // session tickets) by opening it, so the count is proved, not assumed.
    int adoptWritten(QByteArrayView written);

    // Takes every byte of `cipher`: application data goes to `plain`, answers (KeyUpdate,
    // close_notify, a fatal alert) to `out`. False once the connection failed; after the
    // peer's close_notify the rest is dropped.
    bool read(QByteArrayView cipher, QByteArray &plain, QByteArray &out);
    // Appends `plain` as records of at most MaxPlaintext bytes. False once failed or closed.
    bool write(QByteArrayView plain, QByteArray &out);
    // Appends close_notify (once); nothing is written after it.
    void close(QByteArray &out);
    // Appends a KeyUpdate and switches to the next write key; `requestAnswer` asks the peer to
    // do the same.
    bool updateWriteKey(bool requestAnswer, QByteArray &out);

    bool failed() const { return m_failed; }
    bool peerClosed() const { return m_peerClosed; }
    bool closeSent() const { return m_closeSent; }
    QString errorString() const { return m_error; }

    quint64 readSequence() const { return m_read.sequence(); }
    quint64 writeSequence() const { return m_write.sequence(); }
    qsizetype bufferedBytes() const { return m_partial.size() + m_handshake.size(); }

private:
    void seal(quint8 type, QByteArrayView content, QByteArray &out);
    bool checkHeader(const char *header, QByteArray &out);
    void openRecord(QByteArrayView record, QByteArray &plain, QByteArray &out);
    void handleAlert(QByteArrayView content, QByteArray &out);
    void handleHandshake(QByteArrayView content, QByteArray &out);
    void fail(quint8 alert, const QString &why, QByteArray *out);

    Role m_role;
    TlsTrafficKeys m_read;
    TlsTrafficKeys m_write;
    QByteArray m_partial; // a record split across reads; empty (no allocation) otherwise
    QByteArray m_handshake; // a handshake message split across records; likewise
    bool m_failed = false;
    bool m_peerClosed = false;
    bool m_closeSent = false;
    bool m_answerKeyUpdate = false; // the peer asked for our KeyUpdate in this read
    QString m_error;
};

} // namespace GroupLoop
