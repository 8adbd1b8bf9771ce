#include "tlsrecordlayer.h"

#include <openssl/crypto.h>
#include <openssl/ssl.h>

#include <cstring>

namespace GroupLoop {

namespace {

constexpr qsizetype HeaderSize = TlsTrafficKeys::HeaderSize;
constexpr qsizetype TagSize = TlsTrafficKeys::TagSize;
constexpr qsizetype MaxCiphertext = TlsRecordLayer::MaxPlaintext + 256; // RFC 8446 5.2
constexpr qsizetype MaxHandshakeMessage = 1 << 17; // a NewSessionTicket is far smaller

enum ContentType : quint8 { ChangeCipherSpec = 20, Alert = 21, Handshake = 22, ApplicationData = 23 };
enum HandshakeType : quint8 { NewSessionTicket = 4, KeyUpdate = 24 };
enum AlertCode : quint8 {
    CloseNotify = 0,
    UnexpectedMessage = 10,
    BadRecordMac = 20,
    RecordOverflow = 22,
    IllegalParameter = 47,
    DecodeError = 50,
    InternalError = 80,
    UserCanceled = 90,
    NoAlert = 255, // fail without telling the peer (it failed first)
};

QString alertName(quint8 code)
{
    return QString::fromLatin1(SSL_alert_desc_string_long(code));
}

} // namespace

TlsRecordLayer::TlsRecordLayer(Role role)
    : m_role(role)
{
}

bool TlsRecordLayer::start(quint16 suite, QByteArrayView readSecret, QByteArrayView writeSecret,
                           quint64 readSequence, quint64 writeSequence)
{
    if (!TlsTrafficKeys::supports(suite)) {
        fail(NoAlert, QStringLiteral("TLS error: no record protection for cipher suite %1").arg(suite, 4, 16),
             nullptr);
        return false;
    }
    if (!m_read.start(suite, readSecret, false, readSequence)
        || !m_write.start(suite, writeSecret, true, writeSequence)) {
        fail(NoAlert, QStringLiteral("TLS error: cannot set up the record keys"), nullptr);
        return false;
    }
    return true;
}

int TlsRecordLayer::adoptWritten(QByteArrayView written)
{
    TlsTrafficKeys probe; // the write keys, opening: the write context only seals
    if (m_failed || !probe.startOpenerOf(m_write))
        return 0;
    int count = 0;
    QByteArray scratch;
    while (written.size() >= HeaderSize) {
        const qsizetype length = (quint8(written[3]) << 8) | quint8(written[4]);
        if (written.size() < HeaderSize + length)
            break;
        const QByteArrayView record = written.first(HeaderSize + length);
        written = written.sliced(HeaderSize + length);
        if (quint8(record[0]) != ApplicationData || length < TagSize)
            continue;
        scratch.resize(length - TagSize);
        if (probe.open(record, reinterpret_cast<unsigned char *>(scratch.data())))
            ++count;
    }
    OPENSSL_cleanse(scratch.data(), size_t(scratch.size()));
    m_write.skip(quint64(count));
    return count;
}

void TlsRecordLayer::seal(quint8 type, QByteArrayView content, QByteArray &out)
{
    if (!m_write.seal(type, content, out))
        fail(NoAlert, QStringLiteral("TLS error: cannot encrypt a record"), nullptr);
}

bool TlsRecordLayer::write(QByteArrayView plain, QByteArray &out)
{
    for (qsizetype at = 0; at < plain.size() && !m_failed && !m_closeSent; at += MaxPlaintext)
        seal(ApplicationData, plain.sliced(at, std::min(MaxPlaintext, plain.size() - at)), out);
    return !m_failed && !m_closeSent;
}

void TlsRecordLayer::close(QByteArray &out)
{
    if (m_failed || m_closeSent)
        return;
    const char alert[2] = {1, CloseNotify}; // warning level
    seal(Alert, QByteArrayView(alert, 2), out);
    m_closeSent = true;
}

bool TlsRecordLayer::updateWriteKey(bool requestAnswer, QByteArray &out)
{
    if (m_failed || m_closeSent)
        return false;
    const char message[5] = {char(KeyUpdate), 0, 0, 1, char(requestAnswer ? 1 : 0)};
    seal(Handshake, QByteArrayView(message, 5), out);
    if (!m_failed && !m_write.update())
        fail(NoAlert, QStringLiteral("TLS error: cannot update the write key"), nullptr);
    return !m_failed;
}

bool TlsRecordLayer::read(QByteArrayView cipher, QByteArray &plain, QByteArray &out)
{
    while (!cipher.isEmpty() && !m_failed && !m_peerClosed) {
        if (m_partial.isEmpty()) {
            // The common case: whole records straight from the caller's span.
            if (cipher.size() >= HeaderSize) {
                if (!checkHeader(cipher.data(), out))
                    break;
                const qsizetype size = HeaderSize + ((quint8(cipher[3]) << 8) | quint8(cipher[4]));
                if (cipher.size() >= size) {
                    openRecord(cipher.first(size), plain, out);
                    cipher = cipher.sliced(size);
                    continue;
                }
                m_partial.reserve(size);
            }
            m_partial.append(cipher.data(), cipher.size());
            break;
        }
        // A record begun in an earlier read: complete its header, then its body.
        const bool haveHeader = m_partial.size() >= HeaderSize;
        const qsizetype size
            = haveHeader ? HeaderSize + ((quint8(m_partial[3]) << 8) | quint8(m_partial[4])) : HeaderSize;
        const qsizetype take = std::min(size - m_partial.size(), cipher.size());
        m_partial.append(cipher.data(), take);
        cipher = cipher.sliced(take);
        if (m_partial.size() < size)
            break;
        if (!haveHeader) {
            if (!checkHeader(m_partial.constData(), out))
                break;
            m_partial.reserve(HeaderSize + ((quint8(m_partial[3]) << 8) | quint8(m_partial[4])));
            continue;
        }
        const QByteArray record = std::exchange(m_partial, QByteArray()); // nothing kept while idle
        openRecord(record, plain, out);
    }
    // One KeyUpdate answers every request in this read (RFC 8446 4.6.3), so a peer cannot make
    // us send one per request.
    if (std::exchange(m_answerKeyUpdate, false) && !m_failed && !m_closeSent)
        updateWriteKey(false, out);
    if (m_failed || m_peerClosed)
        m_partial = QByteArray();
    return !m_failed;
}

// Only protected records follow a TLS 1.3 handshake (RFC 8446 5): anything else ends it.
bool TlsRecordLayer::checkHeader(const char *header, QByteArray &out)
{
    const quint8 type = quint8(header[0]);
    const qsizetype length = (quint8(header[3]) << 8) | quint8(header[4]);
    if (type == ChangeCipherSpec) {
        fail(UnexpectedMessage, QStringLiteral("TLS error: change_cipher_spec after the handshake"), &out);
    } else if (type != ApplicationData) {
        fail(UnexpectedMessage,
             QStringLiteral("TLS error: unprotected record (type %1) after the handshake").arg(type), &out);
    } else if (length > MaxCiphertext) {
        fail(RecordOverflow, QStringLiteral("TLS error: record overflow (%1 bytes)").arg(length), &out);
    }
    return !m_failed;
}

void TlsRecordLayer::openRecord(QByteArrayView record, QByteArray &plain, QByteArray &out)
{
    const qsizetype before = plain.size();
    const qsizetype length = record.size() - HeaderSize - TagSize;
    if (length < 1) { // not even a content type
        fail(BadRecordMac, QStringLiteral("TLS error: bad record mac (a record too short to hold one)"),
             &out);
        return;
    }
    // Decrypted in place at the end of `plain`, and cut off again unless it verified.
    plain.resize(before + length);
    auto *inner = reinterpret_cast<unsigned char *>(plain.data() + before);
    if (!m_read.open(record, inner)) {
        plain.resize(before);
        fail(BadRecordMac, QStringLiteral("TLS error: bad record mac (a record failed its integrity check)"),
             &out);
        return;
    }
    // TLSInnerPlaintext: content, its type, then zero padding.
    qsizetype typeAt = length - 1;
    while (typeAt >= 0 && inner[typeAt] == 0)
        --typeAt;
    if (typeAt < 0 || typeAt > MaxPlaintext) {
        OPENSSL_cleanse(inner, size_t(length));
        plain.resize(before);
        if (typeAt < 0)
            fail(UnexpectedMessage, QStringLiteral("TLS error: a record without a content type"), &out);
        else
            fail(RecordOverflow,
                 QStringLiteral("TLS error: record overflow (%1 bytes of plaintext)").arg(typeAt), &out);
        return;
    }
    const quint8 type = inner[typeAt];
    if (type == ApplicationData) {
        plain.resize(before + typeAt);
        return;
    }
    // Alerts and handshake messages are ours, not the caller's.
    const QByteArray content(reinterpret_cast<const char *>(inner), typeAt);
    OPENSSL_cleanse(inner, size_t(length));
    plain.resize(before);
    if (type == Alert)
        handleAlert(content, out);
    else if (type == Handshake)
        handleHandshake(content, out);
    else
        fail(UnexpectedMessage, QStringLiteral("TLS error: unexpected record content type %1").arg(type),
             &out);
}

void TlsRecordLayer::handleAlert(QByteArrayView content, QByteArray &out)
{
    if (content.size() != 2 || !m_handshake.isEmpty()) {
        fail(DecodeError, QStringLiteral("TLS error: malformed alert"), &out);
        return;
    }
    const quint8 code = quint8(content[1]);
    if (code == CloseNotify) {
        // Answer it, as TLS asks, and take nothing more.
        m_peerClosed = true;
        close(out);
        return;
    }
    if (code == UserCanceled) // a closure alert; close_notify follows
        return;
    fail(NoAlert, QStringLiteral("TLS error: the peer sent the alert \"%1\"").arg(alertName(code)), nullptr);
}

void TlsRecordLayer::handleHandshake(QByteArrayView content, QByteArray &out)
{
    if (content.isEmpty()) {
        fail(UnexpectedMessage, QStringLiteral("TLS error: an empty handshake record"), &out);
        return;
    }
    // Messages may span records; whole ones are taken out as they complete.
    m_handshake.append(content.data(), content.size());
    while (m_handshake.size() >= 4 && !m_failed) {
        const quint8 type = quint8(m_handshake[0]);
        const qsizetype length
            = (quint8(m_handshake[1]) << 16) | (quint8(m_handshake[2]) << 8) | quint8(m_handshake[3]);
        if (length > MaxHandshakeMessage) {
            fail(DecodeError, QStringLiteral("TLS error: a handshake message of %1 bytes").arg(length), &out);
            break;
        }
        if (m_handshake.size() < 4 + length)
            return;
        const quint8 value = length > 0 ? quint8(m_handshake[4]) : 0;
        m_handshake.remove(0, 4 + length);
        if (type == NewSessionTicket && m_role == Role::Client)
            continue; // this client keeps no session cache
        if (type != KeyUpdate) {
            fail(UnexpectedMessage,
                 QStringLiteral("TLS error: unexpected handshake message %1 after the handshake").arg(type),
                 &out);
            break;
        }
        if (length != 1 || value > 1) {
            fail(length != 1 ? DecodeError : IllegalParameter,
                 QStringLiteral("TLS error: malformed KeyUpdate"), &out);
            break;
        }
        if (!m_handshake.isEmpty()) { // a key change must end its record (RFC 8446 5.1)
            fail(UnexpectedMessage, QStringLiteral("TLS error: data after a KeyUpdate in its record"), &out);
            break;
        }
        if (!m_read.update()) {
            fail(InternalError, QStringLiteral("TLS error: cannot update the read key"), &out);
            break;
        }
        m_answerKeyUpdate = m_answerKeyUpdate || value == 1;
    }
    if (m_handshake.isEmpty() || m_failed)
        m_handshake = QByteArray();
}

void TlsRecordLayer::fail(quint8 alert, const QString &why, QByteArray *out)
{
    if (m_failed)
        return;
    if (out && alert != NoAlert && !m_closeSent) {
        const char message[2] = {2, char(alert)}; // fatal
        seal(Alert, QByteArrayView(message, 2), *out);
        m_closeSent = true;
    }
    m_failed = true;
    m_error = why;
}

} // namespace GroupLoop
