// WindowPlacement: the console window starts inside the screen (issue 19): default and
// remembered sizes clamped, positions left on a screen that is gone brought back.
#include "windowplacement.h"

#include <QTest>

using namespace GroupLoop;

class TestWindowPlacement : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fit_data();
    void fit();
    void screenForPicksTheMostOverlap();
};

void TestWindowPlacement::fit_data()
{
    QTest::addColumn<QRect>("wanted");
    QTest::addColumn<bool>("hasPosition");
    QTest::addColumn<QRect>("available");
    QTest::addColumn<QRect>("expected");
    const QRect laptop(0, 0, 1280, 720);
    QTest::newRow("default size, centred")
        << QRect(0, 0, 1440, 900) << false << laptop << QRect(0, 0, 1280, 720);
    QTest::newRow("small, centred") << QRect(0, 0, 1100, 640) << false << laptop << QRect(90, 40, 1100, 640);
    QTest::newRow("fits, kept") << QRect(100, 50, 1100, 640) << true << laptop << QRect(100, 50, 1100, 640);
    QTest::newRow("over the right edge")
        << QRect(900, 50, 1100, 640) << true << laptop << QRect(180, 50, 1100, 640);
    QTest::newRow("off-screen, large") << QRect(2200, -300, 1900, 1000) << true << laptop << laptop;
    QTest::newRow("below the minimum: top-left on screen")
        << QRect(50, 50, 1000, 600) << true << QRect(0, 0, 800, 500) << QRect(0, 0, 1000, 600);
    QTest::newRow("second screen, panel on top")
        << QRect(1500, 0, 1440, 900) << true << QRect(1280, 30, 1366, 738) << QRect(1280, 30, 1366, 738);
}

void TestWindowPlacement::fit()
{
    QFETCH(QRect, wanted);
    QFETCH(bool, hasPosition);
    QFETCH(QRect, available);
    QFETCH(QRect, expected);
    QCOMPARE(WindowPlacement::fit(wanted, hasPosition, available, QSize(1000, 600)), expected);
}

void TestWindowPlacement::screenForPicksTheMostOverlap()
{
    const QList<QRect> screens = {QRect(0, 0, 1280, 720), QRect(1280, 0, 1920, 1080)};
    QCOMPARE(WindowPlacement::screenFor(QRect(1300, 100, 800, 600), true, screens), screens.at(1));
    QCOMPARE(WindowPlacement::screenFor(QRect(5000, 5000, 800, 600), true, screens), screens.at(0));
    QCOMPARE(WindowPlacement::screenFor(QRect(1300, 100, 800, 600), false, screens), screens.at(0));
    QVERIFY(WindowPlacement::screenFor(QRect(0, 0, 1, 1), true, {}).isNull());
}

QTEST_GUILESS_MAIN(TestWindowPlacement)
#include "tst_windowplacement.moc"
