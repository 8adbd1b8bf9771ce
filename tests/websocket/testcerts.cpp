#include "testcerts.h"

#include <QFile>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include <functional>
#include <memory>

namespace GroupLoop::Testing {

namespace {

template<typename T, void (*Free)(T *)> struct Deleter
{
    void operator()(T *p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

bool addExtension(X509 *cert, int nid, const QByteArray &value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION *extension = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.constData());
    if (!extension)
        return false;
    const bool ok = X509_add_ext(cert, extension, -1) == 1;
    X509_EXTENSION_free(extension);
    return ok;
}

QByteArray pemOf(const std::function<int(BIO *)> &write)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || write(bio.get()) != 1)
        return {};
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, size);
}

} // namespace

bool TestCertificate::writeFiles(const QString &certPath, const QString &keyPath) const
{
    for (const auto &[path, bytes] : {std::pair {certPath, certPem}, std::pair {keyPath, keyPem}}) {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
            return false;
    }
    return true;
}

TestCertificate makeSelfSigned(const QStringList &dnsNames, const QStringList &ipAddresses, KeyType type)
{
    PkeyPtr key(type == KeyType::EcP256 ? EVP_EC_gen("P-256") : EVP_RSA_gen(2048));
    X509Ptr cert(X509_new());
    if (!key || !cert)
        return {};
    quint64 serial = 0;
    RAND_bytes(reinterpret_cast<unsigned char *>(&serial), sizeof serial);
    X509_set_version(cert.get(), 2); // v3: extensions
    ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert.get()), serial >> 1);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME *name = X509_get_subject_name(cert.get());
    const QByteArray commonName = (dnsNames.isEmpty() ? ipAddresses.value(0) : dnsNames.first()).toUtf8();
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char *>("GroupLoop test"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char *>(commonName.constData()), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    QStringList alternatives;
    for (const QString &dns : dnsNames)
        alternatives << QStringLiteral("DNS:") + dns;
    for (const QString &ip : ipAddresses)
        alternatives << QStringLiteral("IP:") + ip;
    // Like `openssl req -x509`: its own CA, usable as the trust anchor of a --ca-file.
    if ((!alternatives.isEmpty()
         && !addExtension(cert.get(), NID_subject_alt_name, alternatives.join(QLatin1Char(',')).toUtf8()))
        || !addExtension(cert.get(), NID_basic_constraints, "critical,CA:TRUE")
        || !addExtension(cert.get(), NID_subject_key_identifier, "hash")
        || !addExtension(cert.get(), NID_ext_key_usage, "serverAuth"))
        return {};
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0)
        return {};
    TestCertificate result;
    result.certPem = pemOf([&](BIO *bio) { return PEM_write_bio_X509(bio, cert.get()); });
    result.keyPem = pemOf([&](BIO *bio) {
        return PEM_write_bio_PrivateKey_traditional(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    });
    return result;
}

} // namespace GroupLoop::Testing
