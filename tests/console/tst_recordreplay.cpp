// Issue #7's "done when", at process level: the console records a demo swarm
// (grouploop-console --demo --record), closes; the file is replayed into a fresh relay with
// grouploop-sim --replay; a console (its RelayClient and DeviceStore) watching that relay shows
// the same devices, moving, and a subscriber sees every device's frames in the recorded order at
// the recorded pace.
#include "devicestore.h"
#include "relayclient.h"
#include "relaytestclient.h"
#include "sessionfile.h"

#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>

using namespace GroupLoop;
using namespace GroupLoop::Testing;

class TestRecordReplay : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void consoleRecordingReplaysIntoAFreshRelay();
};

void TestRecordReplay::consoleRecordingReplaysIntoAFreshRelay()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("demo.session.gz"));

    // 1. The console records its demo swarm for about three seconds, then closes.
    QProcess console;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.path());
    console.setProcessEnvironment(env);
    console.setProcessChannelMode(QProcess::MergedChannels);
    console.start(QStringLiteral(GROUPLOOP_CONSOLE_BINARY),
                  {QStringLiteral("--relay-port"), QStringLiteral("0"), QStringLiteral("--demo"),
                   QStringLiteral("8"), QStringLiteral("--record"), file, QStringLiteral("--screenshot"),
                   dir.filePath(QStringLiteral("x.png")), QStringLiteral("--screenshot-delay"),
                   QStringLiteral("3500")});
    QVERIFY(console.waitForFinished(40000));
    QVERIFY2(console.exitCode() == 0, console.readAll().constData());

    const SessionRecording session = SessionReader::read(file);
    QVERIFY2(session.isValid() && session.problems.isEmpty(),
             qPrintable(session.error + session.problems.join(u';')));
    QVERIFY(session.header.source.startsWith(u"grouploop-console "));
    const QList<quint16> ids = session.deviceIds();
    QCOMPARE(ids.size(), 8);
    QVERIFY2(session.frames.size() > 8 * 20,
             qPrintable(QString::number(session.frames.size()))); // a second or more each
    QHash<quint16, std::vector<SessionFrame>> recorded;
    for (const SessionFrame &f : session.frames)
        recorded[f.frame.id].push_back(f);

    // 2. Everything is closed. A fresh relay, a console watching it, and a raw subscriber.
    auto relay = startRelay();
    DeviceStore store;
    store.setAutoRefresh(true);
    RelayClient viewer(&store);
    viewer.connectTo(relayUrl(*relay));
    QTRY_COMPARE_WITH_TIMEOUT(int(viewer.state()), int(RelayClient::Subscribed), 10000);
    TestClient subscriber;
    QVERIFY(subscriber.open(*relay));
    QCOMPARE(subscriber.request(QStringLiteral("s")), QStringLiteral("stream:on"));
    QElapsedTimer clock;
    clock.start();
    QHash<quint16, QList<QPair<qint64, SensorFrame>>> seen;
    connect(&subscriber.socket, &QWebSocket::textMessageReceived, this, [&](const QString &message) {
        for (const QString &line : message.split(u'\n', Qt::SkipEmptyParts)) {
            if (const auto frame = SensorFrame::parse(QStringView(line)))
                seen[frame->id].append({clock.elapsed(), *frame});
        }
    });

    // 3. grouploop-sim --replay plays the file into it.
    QProcess sim;
    sim.setProcessChannelMode(QProcess::MergedChannels);
    sim.start(QStringLiteral(GROUPLOOP_SIM_BINARY),
              {QStringLiteral("--url"), relayUrl(*relay).toString(), QStringLiteral("--replay"), file,
               QStringLiteral("--quiet")});
    QVERIFY(sim.waitForStarted());

    // The console shows the same devices...
    QTRY_COMPARE_WITH_TIMEOUT(store.count(), 8, 10000);
    QStringList expectedIds;
    for (const quint16 id : ids)
        expectedIds << SensorFrame::idToText(id);
    QStringList shownIds = store.ids();
    std::sort(expectedIds.begin(), expectedIds.end());
    std::sort(shownIds.begin(), shownIds.end());
    QCOMPARE(shownIds, expectedIds);
    // ...moving: the placed positions change while the replay runs.
    QTRY_VERIFY_WITH_TIMEOUT(
        std::all_of(ids.begin(), ids.end(), [&](quint16 id) { return store.device(id)->hasPosition; }), 5000);
    QHash<quint16, QPointF> first;
    for (const quint16 id : ids)
        first.insert(id, store.device(id)->position);
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(ids.begin(), ids.end(),
                                         [&](quint16 id) {
                                             const QPointF d = store.device(id)->position - first.value(id);
                                             return d.manhattanLength() > 5.0;
                                         }),
                             5000);

    QVERIFY(QTest::qWaitFor([&] { return sim.state() == QProcess::NotRunning; }, 30000));
    QVERIFY2(sim.exitCode() == 0, sim.readAll().constData());

    // Every device's frames arrive complete, in order, at the recorded pace.
    QList<qint64> differences;
    for (const quint16 id : ids) {
        const std::vector<SessionFrame> &want = recorded.value(id);
        QTRY_COMPARE(seen.value(id).size(), qsizetype(want.size()));
        const auto &got = seen.value(id);
        for (size_t i = 0; i < want.size(); ++i) {
            QCOMPARE(got[qsizetype(i)].second, want[i].frame);
            differences.append(qAbs((got[qsizetype(i)].first - got[0].first) - (want[i].ms - want[0].ms)));
        }
    }
    std::sort(differences.begin(), differences.end());
    const qint64 median = differences[differences.size() / 2];
    const qint64 p90 = differences[differences.size() * 9 / 10];
    qInfo("%lld frames replayed; timing vs recording: median %lld ms, 90th percentile %lld ms, worst %lld ms",
          static_cast<long long>(differences.size()), static_cast<long long>(median),
          static_cast<long long>(p90), static_cast<long long>(differences.constLast()));
    QVERIFY2(median <= 40, qPrintable(QString::number(median)));
    QVERIFY2(p90 <= 150, qPrintable(QString::number(p90)));
}

QTEST_MAIN(TestRecordReplay)
#include "tst_recordreplay.moc"
