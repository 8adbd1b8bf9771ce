#include "tlstraffickeys.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <cstring>

namespace GroupLoop {

namespace {

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

// Fetched once per process: an implicit fetch per use would cost a lookup each time.
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

} // namespace

bool TlsTrafficKeys::supports(quint16 suite)
{
    return findSuite(suite) != nullptr;
}

QByteArray TlsTrafficKeys::expandLabel(quint16 suiteId, QByteArrayView secret, const char *label, int length)
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

TlsTrafficKeys::~TlsTrafficKeys()
{
    EVP_CIPHER_CTX_free(m_ctx);
    OPENSSL_cleanse(m_secret, sizeof m_secret);
    OPENSSL_cleanse(m_iv, sizeof m_iv);
}

bool TlsTrafficKeys::start(quint16 suite, QByteArrayView secret, bool seal, quint64 sequence)
{
    const Suite *known = findSuite(suite);
    if (!known || secret.size() != known->hashLength)
        return false;
    m_suite = suite;
    m_seal = seal;
    m_sequence = sequence;
    std::memcpy(m_secret, secret.data(), size_t(secret.size()));
    return setKeys();
}

bool TlsTrafficKeys::startOpenerOf(const TlsTrafficKeys &sealer)
{
    const Suite *suite = findSuite(sealer.m_suite);
    return suite
        && start(sealer.m_suite,
                 QByteArrayView(reinterpret_cast<const char *>(sealer.m_secret), suite->hashLength), false,
                 sealer.m_sequence);
}

// Key and IV from the secret (RFC 8446 7.3), into the cipher context.
bool TlsTrafficKeys::setKeys()
{
    const Suite &suite = *findSuite(m_suite);
    unsigned char key[32];
    bool ok = expand(suite, m_secret, "key", key, size_t(suite.keyLength))
        && expand(suite, m_secret, "iv", m_iv, sizeof m_iv);
    if (ok && !m_ctx) {
        m_ctx = EVP_CIPHER_CTX_new();
        ok = m_ctx && EVP_CipherInit_ex(m_ctx, cipherOf(suite), nullptr, nullptr, nullptr, m_seal) == 1;
    }
    ok = ok && EVP_CipherInit_ex(m_ctx, nullptr, nullptr, key, nullptr, m_seal) == 1;
    OPENSSL_cleanse(key, sizeof key);
    return ok;
}

// RFC 8446 7.2: application_traffic_secret_N+1 = HKDF-Expand-Label(secret_N, "traffic upd", "").
bool TlsTrafficKeys::update()
{
    const Suite *suite = findSuite(m_suite);
    unsigned char next[MaxSecret];
    const bool ok = suite && expand(*suite, m_secret, "traffic upd", next, size_t(suite->hashLength));
    if (ok)
        std::memcpy(m_secret, next, size_t(suite->hashLength));
    OPENSSL_cleanse(next, sizeof next);
    m_sequence = 0;
    return ok && setKeys();
}

// RFC 8446 5.3: the IV with the sequence number xored into its last eight bytes.
void TlsTrafficKeys::makeNonce(unsigned char *nonce) const
{
    std::memcpy(nonce, m_iv, sizeof m_iv);
    for (int i = 0; i < 8; ++i)
        nonce[11 - i] ^= quint8(m_sequence >> (8 * i));
}

bool TlsTrafficKeys::seal(quint8 type, QByteArrayView content, QByteArray &out)
{
    if (!m_ctx || m_sequence == ~quint64(0)) // 2^64 records: never in practice; never reuse a nonce
        return false;
    const qsizetype inner = content.size() + 1;
    const qsizetype length = inner + TagSize;
    const qsizetype at = out.size();
    out.resize(at + HeaderSize + length);
    auto *record = reinterpret_cast<unsigned char *>(out.data() + at);
    const unsigned char header[HeaderSize] = {23, 3, 3, quint8(length >> 8), quint8(length)};
    std::memcpy(record, header, HeaderSize);
    unsigned char nonce[12];
    makeNonce(nonce);
    unsigned char *body = record + HeaderSize;
    int n = 0;
    int m = 0;
    const bool ok = EVP_EncryptInit_ex(m_ctx, nullptr, nullptr, nullptr, nonce) == 1
        && EVP_EncryptUpdate(m_ctx, nullptr, &n, header, int(HeaderSize)) == 1
        && EVP_EncryptUpdate(m_ctx, body, &n, reinterpret_cast<const unsigned char *>(content.data()),
                             int(content.size()))
            == 1
        && EVP_EncryptUpdate(m_ctx, body + n, &m, &type, 1) == 1
        && EVP_EncryptFinal_ex(m_ctx, body + n + m, &m) == 1
        && EVP_CIPHER_CTX_ctrl(m_ctx, EVP_CTRL_AEAD_GET_TAG, int(TagSize), body + inner) == 1;
    if (!ok) {
        out.resize(at);
        return false;
    }
    ++m_sequence;
    return true;
}

bool TlsTrafficKeys::open(QByteArrayView record, unsigned char *out)
{
    const auto *header = reinterpret_cast<const unsigned char *>(record.data());
    const auto *body = header + HeaderSize;
    const int length = int(record.size() - HeaderSize - TagSize);
    if (!m_ctx || length < 0)
        return false;
    unsigned char nonce[12];
    makeNonce(nonce);
    int n = 0;
    const bool ok = EVP_DecryptInit_ex(m_ctx, nullptr, nullptr, nullptr, nonce) == 1
        && EVP_CIPHER_CTX_ctrl(m_ctx, EVP_CTRL_AEAD_SET_TAG, int(TagSize),
                               const_cast<unsigned char *>(body + length))
            == 1
        && EVP_DecryptUpdate(m_ctx, nullptr, &n, header, int(HeaderSize)) == 1
        && EVP_DecryptUpdate(m_ctx, out, &n, body, length) == 1
        && EVP_DecryptFinal_ex(m_ctx, out + n, &n) == 1;
    if (!ok) {
        OPENSSL_cleanse(out, size_t(length));
        return false;
    }
    ++m_sequence;
    return true;
}

} // namespace GroupLoop
