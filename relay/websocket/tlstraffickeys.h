// TlsTrafficKeys: one direction of TLS 1.3 record protection (RFC 8446 5.2, 5.3, 7.1 to 7.3):
// the traffic secret, the AEAD context keyed from it, the IV and the sequence number. Seals a
// record (header, content, content type, tag) onto the caller's buffer and opens one into the
// caller's memory; KeyUpdate moves it to the next secret. The AEAD is OpenSSL's (EVP), so tag
// checks are constant-time. Part of TlsRecordLayer.
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <QtGlobal>

struct evp_cipher_ctx_st; // OpenSSL's EVP_CIPHER_CTX

namespace GroupLoop {

class TlsTrafficKeys
{
public:
    static constexpr qsizetype HeaderSize = 5;
    static constexpr qsizetype TagSize = 16; // every suite supported
    static constexpr qsizetype MaxSecret = 48; // SHA-384

    // Whether `suite` (its IANA number, e.g. 0x1301) is one implemented here: the AES-GCM and
    // ChaCha20-Poly1305 suites.
    static bool supports(quint16 suite);
    // HKDF-Expand-Label(secret, label, "", length) with the suite's hash (RFC 8446 7.1): what
    // keys, IVs and updated secrets come from. Empty if the suite is unknown.
    static QByteArray expandLabel(quint16 suite, QByteArrayView secret, const char *label, int length);

    TlsTrafficKeys() = default;
    ~TlsTrafficKeys();
    TlsTrafficKeys(const TlsTrafficKeys &) = delete;
    TlsTrafficKeys &operator=(const TlsTrafficKeys &) = delete;

    // Keys from `secret` for sealing (`seal` true) or opening, next record number `sequence`.
    bool start(quint16 suite, QByteArrayView secret, bool seal, quint64 sequence = 0);
    // An opener with `sealer`'s keys at its sequence number: to recognise records it sealed.
    bool startOpenerOf(const TlsTrafficKeys &sealer);
    // KeyUpdate: the next traffic secret, its keys, sequence 0.
    bool update();
    // Spends `records` sequence numbers: records sealed with these keys elsewhere (by OpenSSL,
    // before the hand-off).
    void skip(quint64 records) { m_sequence += records; }

    // Appends a record of `content` of content type `type`.
    bool seal(quint8 type, QByteArrayView content, QByteArray &out);
    // Opens a whole record (header included) into `out`, which has room for record.size() -
    // HeaderSize - TagSize bytes: the inner plaintext. False, with `out` wiped, unless the tag
    // verifies; the sequence number advances only on success.
    bool open(QByteArrayView record, unsigned char *out);

    quint64 sequence() const { return m_sequence; }

private:
    bool setKeys();
    void makeNonce(unsigned char *nonce) const;

    evp_cipher_ctx_st *m_ctx = nullptr;
    unsigned char m_secret[MaxSecret] = {};
    unsigned char m_iv[12] = {};
    quint64 m_sequence = 0;
    quint16 m_suite = 0;
    bool m_seal = false;
};

} // namespace GroupLoop
