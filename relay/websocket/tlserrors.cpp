#include "tlserrors.h"

#include <QStringList>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace GroupLoop::TlsErrors {

namespace {

QString reasonText(unsigned long code)
{
    if (const char *reason = ERR_reason_error_string(code))
        return QString::fromLatin1(reason);
    return QStringLiteral("error %1").arg(code, 8, 16, QLatin1Char('0'));
}

// The name the certificate had to match, as the session was told it.
QString expectedPeer(SSL *ssl)
{
    X509_VERIFY_PARAM *param = SSL_get0_param(ssl);
    if (const char *host = X509_VERIFY_PARAM_get0_host(param, 0))
        return QString::fromLatin1(host);
    if (char *ip = X509_VERIFY_PARAM_get1_ip_asc(param)) {
        const QString text = QString::fromLatin1(ip);
        OPENSSL_free(ip);
        return text;
    }
    return {};
}

QString verifyFailure(SSL *ssl)
{
    const long result = SSL_get_verify_result(ssl);
    QString text = QStringLiteral("certificate verify failed: ")
        + QString::fromLatin1(X509_verify_cert_error_string(result));
    if (result == X509_V_ERR_HOSTNAME_MISMATCH || result == X509_V_ERR_IP_ADDRESS_MISMATCH)
        text += QStringLiteral(" (the certificate is not for %1)").arg(expectedPeer(ssl));
    return text;
}

} // namespace

QString takeQueue()
{
    QStringList reasons;
    while (const unsigned long code = ERR_get_error()) {
        const QString reason = reasonText(code);
        if (!reasons.contains(reason))
            reasons.append(reason);
    }
    return reasons.join(QStringLiteral("; "));
}

QString describe(ssl_st *ssl, int sslError, bool client)
{
    QString text;
    if (sslError == SSL_ERROR_SSL) {
        const unsigned long first = ERR_peek_error();
        const int reason = ERR_GET_LIB(first) == ERR_LIB_SSL ? ERR_GET_REASON(first) : 0;
        if (reason == SSL_R_CERTIFICATE_VERIFY_FAILED)
            text = verifyFailure(ssl);
        else if (reason == SSL_R_WRONG_VERSION_NUMBER && client)
            text = QStringLiteral("wrong version number (the server does not speak TLS here: a ws:// port?)");
        else if (reason == SSL_R_HTTP_REQUEST)
            text = QStringLiteral("plain HTTP on a TLS port (http request)");
        ERR_clear_error();
        if (text.isEmpty())
            text = reasonText(first);
    } else if (sslError == SSL_ERROR_SYSCALL) {
        text = takeQueue();
        if (text.isEmpty())
            text = QStringLiteral("unexpected end of input");
    } else {
        text = takeQueue();
        if (text.isEmpty())
            text = QStringLiteral("OpenSSL error %1").arg(sslError);
    }
    return text;
}

} // namespace GroupLoop::TlsErrors
