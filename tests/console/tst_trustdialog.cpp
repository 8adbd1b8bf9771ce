// Qt Quick Test for the connection bar against a real wss:// relay with a self-signed
// certificate: the certificate dialog shows what the user must check, trusting pins it for
// the host, and a changed certificate for a pinned host is refused without a dialog.
#include "devicestore.h"
#include "relayclient.h"
#include "relayserver.h"
#include "testcerts.h"

#include <QCryptographicHash>
#include <QQmlContext>
#include <QQmlEngine>
#include <QQmlExtensionPlugin>
#include <QSslKey>
#include <QtQuickTest>

Q_IMPORT_QML_PLUGIN(GroupLoop_ConsolePlugin)
Q_IMPORT_QML_PLUGIN(GroupLoop_UiPlugin)

using namespace GroupLoop;

class Setup : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString url READ url CONSTANT)
    Q_PROPERTY(QString fingerprint READ fingerprint CONSTANT)

public:
    QString url() const { return QStringLiteral("wss://127.0.0.1:%1/").arg(m_relay->tlsServerPort()); }
    QString fingerprint() const { return m_fingerprint; }
    // The pin the client now holds for the relay's host, as hex.
    Q_INVOKABLE QString pinned() const
    {
        return QString::fromLatin1(m_client->pinnedCertificates().value(
            QStringLiteral("127.0.0.1:%1").arg(m_relay->tlsServerPort())));
    }
    // A second console that pinned another certificate for the same host.
    Q_INVOKABLE void pinAnother()
    {
        m_other->setPinnedCertificates(
            {{QStringLiteral("127.0.0.1:%1").arg(m_relay->tlsServerPort()), QByteArray(64, 'b')}});
    }

public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        const Testing::TestCertificate certificate = Testing::makeSelfSigned();
        RelayConfig config;
        config.host = QHostAddress::LocalHost;
        config.tlsEnabled = true;
        config.tlsPort = 0;
        config.tls = QSslConfiguration::defaultConfiguration();
        config.tls.setLocalCertificate(QSslCertificate(certificate.certPem, QSsl::Pem));
        config.tls.setPrivateKey(QSslKey(certificate.keyPem, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey));
        config.tls.setPeerVerifyMode(QSslSocket::VerifyNone);
        m_relay = new RelayServer(config, this);
        QString error;
        if (!m_relay->listen(&error))
            qFatal("relay: %s", qPrintable(error));
        const QByteArray sha
            = QSslCertificate(certificate.certPem, QSsl::Pem).digest(QCryptographicHash::Sha256);
        m_fingerprint = QString::fromLatin1(sha.toHex(':')).toUpper();
        m_store = new DeviceStore(this);
        m_client = new RelayClient(m_store, this);
        m_other = new RelayClient(m_store, this);
        engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
        engine->rootContext()->setContextProperty(QStringLiteral("setup"), this);
        engine->rootContext()->setContextProperty(QStringLiteral("testRelay"), m_client);
        engine->rootContext()->setContextProperty(QStringLiteral("otherRelay"), m_other);
    }
    void cleanupTestCase()
    {
        m_client->disconnectFromRelay();
        m_other->disconnectFromRelay();
        m_relay->shutdown();
        // While the application still exists: Qt's network internals free themselves through
        // its event loop (deleteLater), which is gone once main() unwinds this object.
        delete m_client;
        delete m_other;
        delete m_relay;
    }

private:
    RelayServer *m_relay = nullptr;
    DeviceStore *m_store = nullptr;
    RelayClient *m_client = nullptr;
    RelayClient *m_other = nullptr;
    QString m_fingerprint;
};

QUICK_TEST_MAIN_WITH_SETUP(tst_trustdialog, Setup)
#include "tst_trustdialog.moc"
