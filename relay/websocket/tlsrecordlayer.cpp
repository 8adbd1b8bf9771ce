#include "tlsrecordlayer.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/ssl.h>

#include <cstring>

namespace GroupLoop {

namespace {

constexpr qsizetype HeaderSize = 5;
constexpr qsizetype TagSize = 16; // all three suites
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

struct Suite
{
    quint16 id;
    const char *cipher;
    const char *digest;
    int keyLength;
    int hashLength;
};

constexpr Suite Suites[] = {
    {0x1301, "AES-128-GCM", "SHA256", 16, 32},
    {0x1302, "AES-256-GCM", "SHA384", 32, 48},
    {0x1303, "ChaCha20-Poly1305", "SHA256", 32, 32},
};

const Suite *findSuite(quint16 id)
{
    for (const Suite &suite : Suites) {
        if (suite.id == id)
            return &suite;
    }
    return nullptr;
}

// Fetched once per process: an implicit fetch per use would cost a lookup per record.
EVP_CIPHER *cipherOf(const Suite &suite)
{
    static EVP_CIPHER *const ciphers[] = {
        EVP_CIPHER_fetch(nullptr, Suites[0].cipher, nullptr),
        EVP_CIPHER_fetch(nullptr, Suites[1].cipher, nullptr),
        EVP_CIPHER_fetch(nullptr, Suites[2].cipher, nullptr),
    };
    return ciphers[&suite - Suites];
}

EVP_KDF *hkdf()
{
    static EVP_KDF *const kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
    return kdf;
}

bool expand(const Suite &suite, const unsigned char *secret, const char *label, unsigned char *out,
            size_t length)
{
    // struct { uint16 length; opaque label<7..255> = "tls13 " + label; opaque context<0..255>; }
    unsigned char info[2 + 1 + 255 + 1];
    const size_t labelLength = 6 + std::strlen(label);
    if (labelLength > 255 || !hkdf())
        return false;
    info[0] = quint8(length >> 8);
    info[1] = quint8(length);
    info[2] = quint8(labelLength);
    std::memcpy(info + 3, "tls13 ", 6);
    std::memcpy(info + 9, label, labelLength - 6);
    info[3 + labelLength] = 0; // empty context
    int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY;
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode),
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char *>(suite.digest), 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<unsigned char *>(secret),
                                          size_t(suite.hashLength)),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info, 4 + labelLength),
        OSSL_PARAM_construct_end(),
    };
    EVP_KDF_CTX *ctx = EVP_KDF_CTX_new(hkdf());
    const bool ok = ctx && EVP_KDF_derive(ctx, out, length, params) == 1;
    EVP_KDF_CTX_free(ctx);
    return ok;
}

// RFC 8446 5.3: the IV with the sequence number xored into its last eight bytes.
void makeNonce(const unsigned char *iv, quint64 sequence, unsigned char *nonce)
{
    std::memcpy(nonce, iv, 12);
    for (int i = 0; i < 8; ++i)
        nonce[11 - i] ^= quint8(sequence >> (8 * i));
}

// Opens one record body with `ctx` at `sequence` into `out` (ciphertext size - tag bytes).
// False, with `out` wiped, unless the tag verifies.
bool openInto(EVP_CIPHER_CTX *ctx, const unsigned char *iv, quint64 sequence, QByteArrayView record,
              unsigned char *out)
{
    const auto *header = reinterpret_cast<const unsigned char *>(record.data());
    const auto *body = header + HeaderSize;
    const int length = int(record.size() - HeaderSize - TagSize);
    unsigned char nonce[12];
    makeNonce(iv, sequence, nonce);
    int n = 0;
    const bool ok = length >= 0 && EVP_DecryptInit_ex(ctx, nullptr, nullptr, nullptr, nonce) == 1
        && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, int(TagSize),
                               const_cast<unsigned char *>(body + length))
            == 1
        && EVP_DecryptUpdate(ctx, nullptr, &n, header, int(HeaderSize)) == 1
        && EVP_DecryptUpdate(ctx, out, &n, body, length) == 1 && EVP_DecryptFinal_ex(ctx, out + n, &n) == 1;
    if (!ok && length > 0)
        OPENSSL_cleanse(out, size_t(length));
    return ok;
}

QString alertName(quint8 code)
{
    return QString::fromLatin1(SSL_alert_desc_string_long(code));
}

} // namespace

bool TlsRecordLayer::supports(quint16 suite)
{
    return findSuite(suite) != nullptr;
}

QByteArray TlsRecordLayer::expandLabel(quint16 suiteId, QByteArrayView secret, const char *label, int length)
{
    const Suite *suite = findSuite(suiteId);
    if (!suite || secret.size() != suite->hashLength || length <= 0)
        return {};
    QByteArray out(length, Qt::Uninitialized);
    if (!expand(*suite, reinterpret_cast<const unsigned char *>(secret.data()), label,
                reinterpret_cast<unsigned char *>(out.data()), size_t(length)))
        return {};
    return out;
}

TlsRecordLayer::TlsRecordLayer(Role role)
    : m_role(role)
{
}

TlsRecordLayer::~TlsRecordLayer()
{
    EVP_CIPHER_CTX_free(m_read.ctx);
    EVP_CIPHER_CTX_free(m_write.ctx);
    OPENSSL_cleanse(m_read.secret, sizeof m_read.secret);
    OPENSSL_cleanse(m_write.secret, sizeof m_write.secret);
    OPENSSL_cleanse(m_read.iv, sizeof m_read.iv);
    OPENSSL_cleanse(m_write.iv, sizeof m_write.iv);
}

bool TlsRecordLayer::start(quint16 suiteId, QByteArrayView readSecret, QByteArrayView writeSecret,
                           quint64 readSequence, quint64 writeSequence)
{
    const Suite *suite = findSuite(suiteId);
    if (!suite || readSecret.size() != suite->hashLength || writeSecret.size() != suite->hashLength) {
        fail(NoAlert,
             QStringLiteral("TLS error: no record protection for cipher suite %1").arg(suiteId, 4, 16),
             nullptr);
        return false;
    }
    m_suite = suiteId;
    std::memcpy(m_read.secret, readSecret.data(), size_t(readSecret.size()));
    std::memcpy(m_write.secret, writeSecret.data(), size_t(writeSecret.size()));
    m_read.sequence = readSequence;
    m_write.sequence = writeSequence;
    if (!setKeys(m_read, false) || !setKeys(m_write, true)) {
        fail(NoAlert, QStringLiteral("TLS error: cannot set up the record keys"), nullptr);
        return false;
    }
    return true;
}

// Key and IV from the direction's secret (RFC 8446 7.3), into its cipher context.
bool TlsRecordLayer::setKeys(Direction &direction, bool encrypt)
{
    const Suite &suite = *findSuite(m_suite);
    unsigned char key[32];
    bool ok = expand(suite, direction.secret, "key", key, size_t(suite.keyLength))
        && expand(suite, direction.secret, "iv", direction.iv, sizeof direction.iv);
    if (ok && !direction.ctx) {
        direction.ctx = EVP_CIPHER_CTX_new();
        ok = direction.ctx
            && EVP_CipherInit_ex(direction.ctx, cipherOf(suite), nullptr, nullptr, nullptr, encrypt) == 1;
    }
    ok = ok && EVP_CipherInit_ex(direction.ctx, nullptr, nullptr, key, nullptr, encrypt) == 1;
    OPENSSL_cleanse(key, sizeof key);
    return ok;
}

// KeyUpdate (RFC 8446 7.2): the next secret, its keys, and the sequence starts again.
bool TlsRecordLayer::nextSecret(Direction &direction, bool encrypt)
{
    const Suite &suite = *findSuite(m_suite);
    unsigned char next[MaxSecret];
    const bool ok = expand(suite, direction.secret, "traffic upd", next, size_t(suite.hashLength));
    if (ok)
        std::memcpy(direction.secret, next, size_t(suite.hashLength));
    OPENSSL_cleanse(next, sizeof next);
    direction.sequence = 0;
    return ok && setKeys(direction, encrypt);
}

int TlsRecordLayer::adoptWritten(QByteArrayView written)
{
    if (m_failed)
        return 0;
    // A decrypting twin of the write direction: the write context only seals.
    Direction probe;
    std::memcpy(probe.secret, m_write.secret, sizeof probe.secret);
    const bool ready = setKeys(probe, false);
    OPENSSL_cleanse(probe.secret, sizeof probe.secret);
    int count = 0;
    QByteArray scratch;
    while (ready && written.size() >= HeaderSize) {
        const qsizetype length = (quint8(written[3]) << 8) | quint8(written[4]);
        if (written.size() < HeaderSize + length)
            break;
        const QByteArrayView record = written.first(HeaderSize + length);
        written = written.sliced(HeaderSize + length);
        if (quint8(record[0]) != ApplicationData || length < TagSize)
            continue;
        scratch.resize(length - TagSize);
        if (openInto(probe.ctx, probe.iv, m_write.sequence, record,
                     reinterpret_cast<unsigned char *>(scratch.data()))) {
            ++m_write.sequence;
            ++count;
        }
    }
    OPENSSL_cleanse(scratch.data(), size_t(scratch.size()));
    OPENSSL_cleanse(probe.iv, sizeof probe.iv);
    EVP_CIPHER_CTX_free(probe.ctx);
    return count;
}

void TlsRecordLayer::seal(quint8 type, QByteArrayView content, QByteArray &out)
{
    if (m_write.sequence == ~quint64(0)) { // 2^64 records: never in practice, but never reuse a nonce
        fail(NoAlert, QStringLiteral("TLS error: record sequence number exhausted"), nullptr);
        return;
    }
    const qsizetype inner = content.size() + 1;
    const qsizetype length = inner + TagSize;
    const qsizetype at = out.size();
    out.resize(at + HeaderSize + length);
    auto *record = reinterpret_cast<unsigned char *>(out.data() + at);
    const unsigned char header[HeaderSize] = {ApplicationData, 3, 3, quint8(length >> 8), quint8(length)};
    std::memcpy(record, header, HeaderSize);
    unsigned char nonce[12];
    makeNonce(m_write.iv, m_write.sequence, nonce);
    unsigned char *body = record + HeaderSize;
    int n = 0;
    int m = 0;
    const bool ok = EVP_EncryptInit_ex(m_write.ctx, nullptr, nullptr, nullptr, nonce) == 1
        && EVP_EncryptUpdate(m_write.ctx, nullptr, &n, header, int(HeaderSize)) == 1
        && EVP_EncryptUpdate(m_write.ctx, body, &n, reinterpret_cast<const unsigned char *>(content.data()),
                             int(content.size()))
            == 1
        && EVP_EncryptUpdate(m_write.ctx, body + n, &m, &type, 1) == 1
        && EVP_EncryptFinal_ex(m_write.ctx, body + n + m, &m) == 1
        && EVP_CIPHER_CTX_ctrl(m_write.ctx, EVP_CTRL_AEAD_GET_TAG, int(TagSize), body + inner) == 1;
    if (!ok) {
        out.resize(at);
        fail(NoAlert, QStringLiteral("TLS error: cannot encrypt a record"), nullptr);
        return;
    }
    ++m_write.sequence;
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
    if (!m_failed && !nextSecret(m_write, true))
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
    if (!openInto(m_read.ctx, m_read.iv, m_read.sequence, record, inner)) {
        plain.resize(before);
        fail(BadRecordMac, QStringLiteral("TLS error: bad record mac (a record failed its integrity check)"),
             &out);
        return;
    }
    ++m_read.sequence;
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
        if (!nextSecret(m_read, false)) {
            fail(InternalError, QStringLiteral("TLS error: cannot update the read key"), &out);
            break;
        }
        if (value == 1 && !m_closeSent)
            updateWriteKey(false, out);
    }
    if (m_handshake.isEmpty() || m_failed)
        m_handshake = QByteArray();
}

void TlsRecordLayer::fail(quint8 alert, const QString &why, QByteArray *out)
{
    if (m_failed)
        return;
    if (out && alert != NoAlert && !m_closeSent && m_write.ctx) {
        const char message[2] = {2, char(alert)}; // fatal
        seal(Alert, QByteArrayView(message, 2), *out);
        m_closeSent = true;
    }
    m_failed = true;
    m_error = why;
}

} // namespace GroupLoop
