// How phones join: JoinLinks::phoneUrls (scheme and port from the relay URL, one URL per LAN
// address when the relay runs here, the relay's own host otherwise) and the QR matrix
// (finder patterns where a scanner looks for them, size growing with the text, nothing for
// text that cannot be encoded), and what the Join dialog paints read back by a real scanner
// (zbarimg, Debian zbar-tools).
#include "joinlinks.h"
#include "qrcodeitem.h"

#include <QImage>
#include <QPainter>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace GroupLoop;

class TestJoinLinks : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void phoneUrls_data();
    void phoneUrls();
    void qrMatrixHasFinderPatterns();
    void qrRefusesWhatDoesNotFit();
    void qrPaintedIsWhatAScannerReads_data();
    void qrPaintedIsWhatAScannerReads();
};

void TestJoinLinks::phoneUrls_data()
{
    QTest::addColumn<QString>("relay");
    QTest::addColumn<QStringList>("expected");
    const QStringList lan {u"http://192.168.1.20:5003/phone"_qs, u"http://10.0.0.5:5003/phone"_qs};
    QTest::newRow("built-in on loopback") << u"ws://127.0.0.1:5003/"_qs << lan;
    QTest::newRow("localhost") << u"ws://localhost:5003"_qs << lan;
    QTest::newRow("this machine's LAN address") << u"ws://10.0.0.5:5003/"_qs << lan;
    QTest::newRow("tls") << u"wss://127.0.0.1:5443/"_qs
                         << QStringList {u"https://192.168.1.20:5443/phone"_qs,
                                         u"https://10.0.0.5:5443/phone"_qs};
    QTest::newRow("default port") << u"wss://localhost/"_qs
                                  << QStringList {u"https://192.168.1.20/phone"_qs,
                                                  u"https://10.0.0.5/phone"_qs};
    QTest::newRow("another machine") << u"wss://relay.example.org:5443/?token=x"_qs
                                     << QStringList {u"https://relay.example.org:5443/phone"_qs};
    QTest::newRow("not a relay") << u"http://127.0.0.1:5003/"_qs << QStringList {};
    QTest::newRow("empty") << QString() << QStringList {};
}

void TestJoinLinks::phoneUrls()
{
    QFETCH(QString, relay);
    QFETCH(QStringList, expected);
    const QList<QHostAddress> lan {QHostAddress(u"192.168.1.20"_qs), QHostAddress(u"10.0.0.5"_qs)};
    const QList<QHostAddress> local = lan + QList<QHostAddress> {QHostAddress::LocalHost};
    QCOMPARE(JoinLinks::phoneUrls(QUrl(relay), lan, local), expected);
}

void TestJoinLinks::qrMatrixHasFinderPatterns()
{
    const std::optional<QrCode::Matrix> small = QrCode::encode("http://192.168.1.20:5003/phone");
    QVERIFY(small);
    QVERIFY(small->size >= 21 && (small->size - 17) % 4 == 0); // a QR version's size
    QCOMPARE(small->dark.size(), qsizetype(small->size) * small->size);
    // The three 7x7 finder patterns: a dark ring, a light ring, a dark 3x3 core.
    const int n = small->size;
    for (const auto &[ox, oy] : {std::pair {0, 0}, std::pair {n - 7, 0}, std::pair {0, n - 7}}) {
        for (int y = 0; y < 7; ++y) {
            for (int x = 0; x < 7; ++x) {
                const bool ring = x == 0 || y == 0 || x == 6 || y == 6;
                const bool core = x >= 2 && x <= 4 && y >= 2 && y <= 4;
                QCOMPARE(small->isDark(ox + x, oy + y), ring || core);
            }
        }
    }
    const std::optional<QrCode::Matrix> large = QrCode::encode(QByteArray(300, 'a'));
    QVERIFY(large && large->size > small->size);
}

void TestJoinLinks::qrRefusesWhatDoesNotFit()
{
    QVERIFY(!QrCode::encode(QByteArray()));
    QVERIFY(!QrCode::encode(QByteArray(8000, 'x'))); // over a version 40 code's capacity
    QrCodeItem item;
    item.setText(QString(8000, u'x'));
    QCOMPARE(item.modules(), 0);
    item.setText(u"http://10.0.0.5:5003/phone"_qs);
    QVERIFY(item.modules() >= 21);
}

void TestJoinLinks::qrPaintedIsWhatAScannerReads_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<int>("side"); // pixels, as the Join dialog may size it
    QTest::newRow("LAN, dialog size") << u"http://192.168.1.20:5003/phone"_qs << 240;
    QTest::newRow("TLS, small") << u"https://10.0.0.5:5443/phone"_qs << 120;
    QTest::newRow("long host, odd size")
        << u"https://grouploop-relay.studio.example.org:5443/phone"_qs << 317;
}

void TestJoinLinks::qrPaintedIsWhatAScannerReads()
{
    QFETCH(QString, url);
    QFETCH(int, side);
    const QString zbarimg = QStandardPaths::findExecutable(u"zbarimg"_qs);
    if (zbarimg.isEmpty()) {
        // The test command installs zbar-tools; only a hand-built tree may lack it.
        if (qEnvironmentVariableIsSet("CI"))
            QFAIL("zbarimg (Debian zbar-tools) is missing");
        QSKIP("zbarimg (Debian zbar-tools) is not installed");
    }
    QrCodeItem item;
    item.setSize(QSizeF(side, side));
    item.setText(url);
    QImage image(side, side, QImage::Format_RGB32);
    image.fill(Qt::red); // anything the item leaves unpainted would show
    QPainter painter(&image);
    item.paint(&painter);
    painter.end();
    QTemporaryDir dir;
    const QString file = dir.filePath(u"join.png"_qs);
    QVERIFY(image.save(file));
    QProcess scanner;
    scanner.start(zbarimg, {u"--raw"_qs, u"-q"_qs, file});
    QVERIFY(scanner.waitForFinished(30000));
    QCOMPARE(scanner.exitCode(), 0);
    QCOMPARE(QString::fromUtf8(scanner.readAllStandardOutput()).trimmed(), url);
}

QTEST_MAIN(TestJoinLinks)
#include "tst_joinlinks.moc"
