// Fuzz target: what TlsRecordLayer (the wss:// record protection after a TLS 1.3 handshake)
// does with whatever a peer sends, with fixed keys. The input is a list of chunks, each
// [op][length][bytes]: op bit 0 says whether the harness seals the bytes as a valid record's
// inner plaintext (content, type, padding: anything) under the peer's key at the next sequence
// number, so the fuzzer gets past the tag check, or passes them on raw; bit 1 picks the role;
// the rest of op picks the piece size the stream is fed in. Never a crash; what comes out is
// always a prefix of the application data the harness sealed (nothing unverified, nothing out of
// order); a failed layer says why in one line and returns false from then on.
#include "tlsrecordlayer.h"

#include <openssl/evp.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace {

constexpr quint16 Suite = 0x1301;
const QByteArray PeerSecret(32, '\x5a'); // what the layer reads with
const QByteArray OwnSecret(32, '\xa5');

// A record under the peer's key at `sequence`, as the peer's TLS stack would seal it.
QByteArray seal(QByteArrayView inner, quint64 sequence)
{
    static const QByteArray key = GroupLoop::TlsTrafficKeys::expandLabel(Suite, PeerSecret, "key", 16);
    static const QByteArray iv = GroupLoop::TlsTrafficKeys::expandLabel(Suite, PeerSecret, "iv", 12);
    const int length = int(inner.size()) + 16;
    QByteArray record(5 + length, Qt::Uninitialized);
    auto *out = reinterpret_cast<unsigned char *>(record.data());
    const unsigned char header[5] = {23, 3, 3, quint8(length >> 8), quint8(length)};
    std::memcpy(out, header, 5);
    unsigned char nonce[12];
    std::memcpy(nonce, iv.constData(), 12);
    for (int i = 0; i < 8; ++i)
        nonce[11 - i] ^= quint8(sequence >> (8 * i));
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int n = 0;
    EVP_EncryptInit_ex(ctx, EVP_aes_128_gcm(), nullptr,
                       reinterpret_cast<const unsigned char *>(key.constData()), nonce);
    EVP_EncryptUpdate(ctx, nullptr, &n, header, 5);
    EVP_EncryptUpdate(ctx, out + 5, &n, reinterpret_cast<const unsigned char *>(inner.data()),
                      int(inner.size()));
    EVP_EncryptFinal_ex(ctx, out + 5 + n, &n);
    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, out + 5 + inner.size());
    EVP_CIPHER_CTX_free(ctx);
    return record;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using GroupLoop::TlsRecordLayer;
    if (size < 1)
        return 0;
    const qsizetype piece = 1 + (data[0] >> 2) % 64;
    const auto role = data[0] & 2 ? TlsRecordLayer::Role::Client : TlsRecordLayer::Role::Server;
    QByteArray stream;
    QByteArray sealedData; // the application data in the sealed chunks, in order
    quint64 sequence = 0;
    for (size_t at = 1; at + 2 <= size;) {
        const bool sealed = data[at] & 1;
        const size_t length = std::min<size_t>(data[at + 1], size - at - 2);
        const QByteArrayView bytes(reinterpret_cast<const char *>(data + at + 2), qsizetype(length));
        stream += sealed ? seal(bytes, sequence++) : bytes.toByteArray();
        qsizetype type = bytes.size() - 1; // TLSInnerPlaintext: content, type, zero padding
        while (type >= 0 && bytes[type] == 0)
            --type;
        if (sealed && type >= 0 && bytes[type] == 23)
            sealedData += bytes.first(type);
        at += 2 + length;
    }
    TlsRecordLayer layer(role);
    if (!layer.start(Suite, PeerSecret, OwnSecret))
        std::abort();
    QByteArray plain;
    QByteArray out;
    for (qsizetype at = 0; at < stream.size(); at += piece) {
        const bool ok
            = layer.read(QByteArrayView(stream).sliced(at, std::min(piece, stream.size() - at)), plain, out);
        if (ok == layer.failed() || !sealedData.startsWith(plain))
            std::abort();
        if (!ok) {
            const QString error = layer.errorString();
            if (!error.startsWith(u"TLS error: ") || error.contains(QLatin1Char('\n')))
                std::abort();
            if (layer.read("more", plain, out) || layer.write("more", out))
                std::abort();
            break;
        }
    }
    if (!layer.failed() && !layer.peerClosed() && !layer.closeSent() && !layer.write("reply", out))
        std::abort();
    layer.close(out);
    return 0;
}
