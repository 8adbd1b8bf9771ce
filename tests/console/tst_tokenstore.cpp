// TokenStore: a token typed once is remembered per relay; without a desktop keychain only when
// the user asks, in a file readable by them alone (0600), and never elsewhere.
#include "tokenstore.h"

#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace GroupLoop;

class TestTokenStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fileIsPrivateAndKeyedByHost();
    void withoutKeychainOnlyWhenAsked();
};

void TestTokenStore::fileIsPrivateAndKeyedByHost()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("sub/tokens"));
    QString error;
    QVERIFY(TokenStore::writeFile(path, QStringLiteral("relay.lan:5003"), QStringLiteral("one"), &error));
    QVERIFY(TokenStore::writeFile(path, QStringLiteral("other:443"), QStringLiteral("two"), &error));
    QVERIFY(TokenStore::writeFile(path, QStringLiteral("relay.lan:5003"), QStringLiteral("three"), &error));
    const QFileDevice::Permissions permissions = QFileInfo(path).permissions();
    QVERIFY(permissions.testFlag(QFileDevice::ReadOwner) && permissions.testFlag(QFileDevice::WriteOwner));
    const QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup
        | QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
    QCOMPARE(permissions & others, QFileDevice::Permissions()); // 0600
    QCOMPARE(TokenStore::readFile(path, QStringLiteral("relay.lan:5003")), QStringLiteral("three"));
    QCOMPARE(TokenStore::readFile(path, QStringLiteral("other:443")), QStringLiteral("two"));
    QVERIFY(TokenStore::readFile(path, QStringLiteral("relay.lan:5004")).isEmpty());
    QVERIFY(!TokenStore::writeFile(QStringLiteral("/proc/no/tokens"), QStringLiteral("h:1"),
                                   QStringLiteral("t"), &error));
    QVERIFY(!error.isEmpty());
}

void TestTokenStore::withoutKeychainOnlyWhenAsked()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("tokens"));
    TokenStore store(path, QStringLiteral("grouploop-console-test"));
    store.save(QStringLiteral("relay.lan:5003"), QStringLiteral("typed-once"));
    QTRY_VERIFY_WITH_TIMEOUT(!store.status().isEmpty(), 30000);
    if (store.keychainAvailable())
        QSKIP("a desktop keychain runs here; the file fallback is not used");
    QVERIFY(!QFileInfo::exists(path)); // not asked: nothing on disk
    store.setRememberInFile(true);
    QCOMPARE(TokenStore::readFile(path, QStringLiteral("relay.lan:5003")), QStringLiteral("typed-once"));

    TokenStore later(path, QStringLiteral("grouploop-console-test"));
    QVERIFY(later.rememberInFile());
    QSignalSpy found(&later, &TokenStore::found);
    later.load(QStringLiteral("relay.lan:5003"));
    QTRY_COMPARE_WITH_TIMEOUT(found.count(), 1, 30000);
    QCOMPARE(found.first().at(1).toString(), QStringLiteral("typed-once"));
    later.setRememberInFile(false); // asked to forget: the file goes
    QVERIFY(!QFileInfo::exists(path));
}

QTEST_GUILESS_MAIN(TestTokenStore)
#include "tst_tokenstore.moc"
