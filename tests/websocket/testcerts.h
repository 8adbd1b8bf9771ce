// Certificates for tests and benchmarks, made in memory with OpenSSL: self-signed, for the
// host names and addresses a test needs, EC P-256 or RSA 2048. No openssl binary, no fixture
// files that expire.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace GroupLoop::Testing {

struct TestCertificate
{
    QByteArray certPem;
    QByteArray keyPem; // unencrypted, traditional form (EC/RSA PRIVATE KEY), as Qt reads it too
    bool isValid() const { return !certPem.isEmpty() && !keyPem.isEmpty(); }
    // Writes both PEM files; false if either cannot be written.
    bool writeFiles(const QString &certPath, const QString &keyPath) const;
};

enum class KeyType { EcP256, Rsa2048 };

// A self-signed certificate (its own CA) for `dnsNames` and `ipAddresses`, valid from an hour
// ago for a day. Empty on failure.
TestCertificate makeSelfSigned(const QStringList &dnsNames = {QStringLiteral("localhost")},
                               const QStringList &ipAddresses = {QStringLiteral("127.0.0.1")},
                               KeyType type = KeyType::EcP256);

} // namespace GroupLoop::Testing
