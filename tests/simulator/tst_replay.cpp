// Record and replay end to end, at process level: grouploop-sim streams into a recording
// relay; the file then goes through `grouploop-sim --replay` into a fresh relay, whose
// subscriber must see the same devices sending the same frames in the same order at the same
// pace. Also: loop and commands to replayed devices, corrupt files, CSV export, bad flags.
#include "programs.h"
#include "relaytestclient.h"
#include "sessionfile.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <csignal>

using namespace GroupLoop;
using namespace GroupLoop::Testing;

namespace {

const QString SimBinary = simBinary();

// A subscriber that notes when each frame line arrived.
struct Watcher
{
    struct Seen
    {
        qint64 ms;
        QString line;
    };

    TestClient client;
    QElapsedTimer clock;
    QList<Seen> seen;

    bool subscribe(const RelayServer &relay)
    {
        if (!client.open(relay) || client.request(u"s"_qs) != u"stream:on")
            return false;
        clock.start();
        QObject::connect(&client.socket, &QWebSocket::textMessageReceived, &client.socket,
                         [this](const QString &m) {
                             for (const QString &line : m.split(u'\n', Qt::SkipEmptyParts)) {
                                 if (SensorFrame::isFrameText(line))
                                     seen.append({clock.elapsed(), line});
                             }
                         });
        return true;
    }
    QHash<QString, QList<Seen>> byDevice() const
    {
        QHash<QString, QList<Seen>> out;
        for (const Seen &s : seen)
            out[s.line.left(4)].append(s);
        return out;
    }
};

QString urlOf(const RelayServer &relay)
{
    return relayUrl(relay).toString();
}

void writeFile(const QString &path, const QByteArray &text)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
}

const QByteArray Header
    = R"({"format":"grouploop-session","version":1,"started":"2026-11-21T14:00:00.000Z"})";

// Two devices, ten frames each, 50 ms apart: half a second.
QByteArray smallSession()
{
    QByteArray text = Header + '\n';
    for (int i = 0; i < 10; ++i) {
        text += QByteArray::number(i * 50) + " f 0a0a8080bf00000000" + QByteArray::number(10 + i)
            + " 0b0b8080bf0000000000\n";
    }
    return text;
}

} // namespace

class TestReplay : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void recordThenReplayMatches();
    void loopsAndAcceptsCommands();
    void corruptFileNamesLineAndReplaysTheRest();
    void exportsCsv();
    void badArguments_data();
    void badArguments();
};

void TestReplay::recordThenReplayMatches()
{
    QTemporaryDir dir;
    RelayConfig recording;
    recording.recordPath = dir.filePath(u"demo.session.gz"_qs);
    auto first = startRelay(recording);
    Watcher live;
    QVERIFY(live.subscribe(*first));
    QProcess sim;
    sim.start(SimBinary,
              {u"--url"_qs, urlOf(*first), u"--devices"_qs, u"6"_qs, u"--hz"_qs, u"20"_qs, u"--seconds"_qs,
               u"3"_qs, u"--seed"_qs, u"11"_qs, u"--tap-rate"_qs, u"1"_qs, u"--quiet"_qs});
    QVERIFY(waitForExit(sim, 30000));
    QVERIFY2(sim.exitCode() == 0, sim.readAllStandardError().constData());
    QTest::qWait(100); // the last fan-out pass
    first.reset(); // closes the file: everything is on disk, as after closing the programs

    const SessionRecording session = SessionReader::read(recording.recordPath);
    QVERIFY2(session.isValid() && session.problems.isEmpty(),
             qPrintable(session.error + session.problems.join(u';')));
    QCOMPARE(session.deviceIds().size(), 6);
    QCOMPARE(qsizetype(session.frames.size()), live.seen.size());

    // A fresh relay, a fresh subscriber, the file replayed as live devices.
    auto second = startRelay();
    Watcher replayed;
    QVERIFY(replayed.subscribe(*second));
    int mostDevices = 0;
    connect(second.get(), &RelayServer::deviceCountChanged, this,
            [&](int n) { mostDevices = std::max(mostDevices, n); });
    sim.start(SimBinary, {u"--url"_qs, urlOf(*second), u"--replay"_qs, recording.recordPath, u"--quiet"_qs});
    QVERIFY(waitForExit(sim, 30000));
    const QString out = QString::fromLocal8Bit(sim.readAllStandardOutput());
    QVERIFY2(sim.exitCode() == 0, sim.readAllStandardError().constData());
    QVERIFY2(out.contains(u"replaying 6 devices"), qPrintable(out));
    QCOMPARE(mostDevices, 6);
    QTRY_COMPARE(replayed.seen.size(), live.seen.size());

    const auto before = live.byDevice();
    const auto after = replayed.byDevice();
    QCOMPARE(after.keys().size(), 6);
    // Same pace: each frame's time since its device's first frame, live vs replayed. The box
    // is shared with other builds, so single frames may be late by a scheduling stall; the
    // timeline is absolute, so such a stall never accumulates.
    QList<qint64> differences;
    for (auto it = before.cbegin(); it != before.cend(); ++it) {
        const QList<Watcher::Seen> &a = it.value();
        const QList<Watcher::Seen> &b = after.value(it.key());
        QCOMPARE(b.size(), a.size());
        for (qsizetype i = 0; i < a.size(); ++i) {
            QCOMPARE(b[i].line, a[i].line); // identical frames, in order
            differences.append(qAbs((b[i].ms - b[0].ms) - (a[i].ms - a[0].ms)));
        }
        const qint64 spanLive = a.constLast().ms - a.constFirst().ms;
        const qint64 spanReplayed = b.constLast().ms - b.constFirst().ms;
        QVERIFY2(
            qAbs(spanReplayed - spanLive) <= 250,
            qPrintable(u"%1: live %2 ms, replayed %3 ms"_qs.arg(it.key()).arg(spanLive).arg(spanReplayed)));
    }
    std::sort(differences.begin(), differences.end());
    const qint64 median = differences[differences.size() / 2];
    const qint64 p90 = differences[differences.size() * 9 / 10];
    qInfo("timing difference live vs replayed over %lld frames: median %lld ms, 90th percentile %lld ms, "
          "worst %lld ms",
          static_cast<long long>(differences.size()), static_cast<long long>(median),
          static_cast<long long>(p90), static_cast<long long>(differences.constLast()));
    QVERIFY2(median <= 40, qPrintable(QString::number(median)));
    QVERIFY2(p90 <= 150, qPrintable(QString::number(p90)));
}

void TestReplay::loopsAndAcceptsCommands()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"small.session"_qs);
    writeFile(path, smallSession());
    auto relay = startRelay();
    Watcher watcher;
    QVERIFY(watcher.subscribe(*relay));
    QProcess sim;
    sim.start(SimBinary,
              {u"--url"_qs, urlOf(*relay), u"--replay"_qs, path, u"--speed"_qs, u"2"_qs, u"--loop"_qs});
    QVERIFY(sim.waitForStarted());
    // 20 frames per pass of 0.25 s at 2x: three passes prove the loop.
    QVERIFY(QTest::qWaitFor([&] { return watcher.seen.size() >= 60; }, 15000));
    QCOMPARE(watcher.byDevice().keys().size(), 2);
    TestClient controller;
    QVERIFY(controller.open(*relay));
    QCOMPARE(controller.request(u"cmd:0a0a:led:00ff00"_qs), u"cmd:result:success"_qs);
    QCOMPARE(controller.request(u"cmd:all:vibrate:100"_qs), u"cmd:result:sent_to_2_devices"_qs);
    QTest::qWait(200); // the devices read their commands
    ::kill(pid_t(sim.processId()), SIGTERM);
    QVERIFY(waitForExit(sim, 10000));
    QCOMPARE(sim.exitCode(), 0);
    const QString out = QString::fromLocal8Bit(sim.readAllStandardOutput());
    QVERIFY2(out.contains(u"commands 3,"), qPrintable(out)); // both devices obeyed the broadcast
    QVERIFY2(out.contains(u"looping"), qPrintable(out));
}

void TestReplay::corruptFileNamesLineAndReplaysTheRest()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"bad.session"_qs);
    writeFile(path,
              Header
                  + "\n0 f 0c0c8080bf0000000000\n40 f zz0c8080bf0000000000\n80 f 0c0c8080bf00000000ff\n120 f "
                    "0c0c80");
    auto relay = startRelay();
    Watcher watcher;
    QVERIFY(watcher.subscribe(*relay));
    QProcess sim;
    sim.start(SimBinary, {u"--url"_qs, urlOf(*relay), u"--replay"_qs, path, u"--quiet"_qs});
    QVERIFY(waitForExit(sim, 20000));
    const QString err = QString::fromLocal8Bit(sim.readAllStandardError());
    QCOMPARE(sim.exitCode(), 0);
    QVERIFY2(err.contains(path + u":3: not a 20-hex-digit frame"), qPrintable(err));
    QVERIFY2(err.contains(path + u":5: "), qPrintable(err));
    QTRY_COMPARE(watcher.seen.size(), 2);
    QCOMPARE(watcher.seen[1].line, u"0c0c8080bf00000000ff"_qs);
}

void TestReplay::exportsCsv()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"small.session"_qs);
    const QString csv = dir.filePath(u"small.csv"_qs);
    writeFile(path, smallSession());
    QProcess sim;
    sim.start(SimBinary, {u"--replay"_qs, path, u"--export-csv"_qs, csv});
    QVERIFY(sim.waitForFinished(10000));
    QCOMPARE(sim.exitCode(), 0);
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.size(), 1 + 20 + 1); // header, 20 frames, final newline
    QCOMPARE(lines[0], SessionCsv::headerLine().trimmed());
    QCOMPARE(lines[1], QByteArray("0.000,0a0a,0.008,0.008,0.996,,,,,0"));
}

void TestReplay::badArguments_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("missing file") << QStringList {u"--replay"_qs, u"/nonexistent/x.session"_qs}
                                  << u"--replay: /nonexistent/x.session: no such file"_qs;
    QTest::newRow("not a session") << QStringList {u"--replay"_qs, simBinary()}
                                   << u":1: not a GroupLoop session file"_qs;
    QTest::newRow("speed alone") << QStringList {u"--speed"_qs, u"2"_qs} << u"--speed needs --replay FILE"_qs;
    QTest::newRow("speed zero") << QStringList {u"--replay"_qs, u"x"_qs, u"--speed"_qs, u"0"_qs}
                                << u"--speed: expected a number from 0.01 to 100"_qs;
    QTest::newRow("devices too") << QStringList {u"--replay"_qs, u"x"_qs, u"--devices"_qs, u"3"_qs}
                                 << u"--devices cannot be used with --replay"_qs;
    QTest::newRow("csv alone") << QStringList {u"--export-csv"_qs, u"out.csv"_qs}
                               << u"--export-csv needs --replay"_qs;
}

void TestReplay::badArguments()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const ProgramRun sim = run(SimBinary, arguments);
    QCOMPARE(sim.exitCode, 2);
    QVERIFY2(sim.err.contains(message), qPrintable(sim.err));
    QCOMPARE(sim.err.count(u'\n'), 1);
}

QTEST_MAIN(TestReplay)
#include "tst_replay.moc"
