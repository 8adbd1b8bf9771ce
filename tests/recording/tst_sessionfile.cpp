#include "sessionfile.h"

#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <zlib.h>

using namespace GroupLoop;

namespace {

SensorFrame frameOf(quint16 id, quint8 ax, quint8 tap = 0)
{
    SensorFrame f;
    f.id = id;
    f.ax = ax;
    f.beacons = {200, 0, 120, 60};
    f.tap = tap;
    return f;
}

QByteArray batchOf(const std::vector<SensorFrame> &frames)
{
    QByteArray out;
    for (const SensorFrame &f : frames)
        out += f.toHex() + '\n';
    return out;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeText(const QString &path, const QByteArray &text)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
}

const QByteArray Header
    = R"({"format":"grouploop-session","version":1,"started":"2026-11-21T14:00:00.000Z","relay":"ws://r:5003","devices":2})";

} // namespace

class TestSessionFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void headerIsFirstLineAndVersioned();
    void badLinesAreNamedAndSkipped();
    void truncatedPlainFileKeepsCompleteLines();
    void truncatedGzipKeepsWhatWasSynced();
    void rejectsWhatIsNotASession_data();
    void rejectsWhatIsNotASession();
    void rotatesBySize();
    void rotatesByTime();
    void flushesOnceASecond();
    void csvHasDecodedValues();
    void badPathIsOneLine();
    void streamsRotatedPartsAsOneSession_data();
    void streamsRotatedPartsAsOneSession();
    void gzipMembersAreRestartPoints();
    void overlongLineIsSkippedInBoundedMemory();
};

void TestSessionFile::roundTrip_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("plain") << QStringLiteral("s.session");
    QTest::newRow("gzip") << QStringLiteral("s.session.gz");
}

void TestSessionFile::roundTrip()
{
    QFETCH(QString, name);
    QTemporaryDir dir;
    const QString path = dir.filePath(name);
    SessionWriter writer;
    SessionHeader header;
    header.relay = QStringLiteral("ws://127.0.0.1:5003");
    header.devices = 2;
    header.source = QStringLiteral("test");
    QString error;
    QVERIFY2(writer.open(path, header, &error), qPrintable(error));
    const std::vector<SensorFrame> batch1 {frameOf(0xa1b2, 10), frameOf(0x00c3, 20, 0xff)};
    writer.appendFrameBatch(0, batchOf(batch1));
    writer.appendCommand({15, QStringLiteral("a1b2"), QStringLiteral("led_set"), QStringLiteral("2:00ff00"),
                          QStringLiteral("success")});
    writer.appendFrames(40, {frameOf(0xa1b2, 11)});
    writer.appendFrameBatch(1234567, batchOf({frameOf(0x00c3, 30)}));
    writer.close();

    const SessionRecording rec = SessionReader::read(path);
    QVERIFY2(rec.isValid(), qPrintable(rec.error));
    QVERIFY2(rec.problems.isEmpty(), qPrintable(rec.problems.join(u'\n')));
    QCOMPARE(rec.header.relay, header.relay);
    QCOMPARE(rec.header.devices, 2);
    QCOMPARE(rec.header.version, SessionHeader::CurrentVersion);
    QVERIFY(rec.header.started.isValid());
    QCOMPARE(rec.frames.size(), size_t(4));
    QCOMPARE(rec.frames[0].ms, 0);
    QCOMPARE(rec.frames[0].frame, batch1[0]);
    QCOMPARE(rec.frames[1].frame, batch1[1]);
    QVERIFY(rec.frames[1].frame.isTap());
    QCOMPARE(rec.frames[2].ms, 40);
    QCOMPARE(rec.frames[3].ms, 1234567);
    QCOMPARE(rec.frames[3].frame, frameOf(0x00c3, 30));
    QCOMPARE(rec.commands.size(), size_t(1));
    QCOMPARE(rec.commands[0].ms, 15);
    QCOMPARE(rec.commands[0].params, QStringLiteral("2:00ff00"));
    QCOMPARE(rec.commands[0].result, QStringLiteral("success"));
    QCOMPARE(rec.deviceIds(), (QList<quint16> {0xa1b2, 0x00c3}));
    QCOMPARE(rec.endMs(), 1234567);
}

void TestSessionFile::headerIsFirstLineAndVersioned()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("h.session"));
    SessionWriter writer;
    QString error;
    QVERIFY(writer.open(path, {}, &error));
    writer.appendFrames(5, {frameOf(1, 2)});
    writer.close();
    const QList<QByteArray> lines = readAll(path).split('\n');
    QVERIFY(lines[0].startsWith(R"({"devices":0,"format":"grouploop-session")"));
    QVERIFY(lines[0].contains(R"("version":1)"));
    QCOMPARE(lines[1], QByteArray("5 f 00010280bfc800783c00"));
}

void TestSessionFile::badLinesAreNamedAndSkipped()
{
    const QByteArray text = Header + "\n" + "10 f a1b2808080bf00000000\n" // 2: fine
        + "12 f a1b2808080bf0000000\n" // 3: 19 digits
        + "oops\n" // 4
        + "20 x whatever\n" // 5: unknown type
        + "5 f a1b2808080bf00000000\n" // 6: backwards
        + "30 c {not json\n" // 7
        + "\n" // 8: blank, ignored
        + "40 f a1b2808080bf00000000 00c3808080bf000000ff\n"; // 9: fine
    const SessionRecording rec = SessionReader::parse(text, QStringLiteral("show.session"));
    QVERIFY(rec.isValid());
    QCOMPARE(rec.frames.size(), size_t(3));
    QCOMPARE(rec.frames[2].frame.id, quint16(0x00c3));
    QCOMPARE(rec.skippedLines, 5);
    QCOMPARE(rec.problems.size(), 5);
    QVERIFY2(rec.problems[0].startsWith(u"show.session:3: not a 20-hex-digit frame"),
             qPrintable(rec.problems[0]));
    QVERIFY2(rec.problems[1].startsWith(u"show.session:4: expected"), qPrintable(rec.problems[1]));
    QVERIFY2(rec.problems[2].startsWith(u"show.session:5: unknown record type 'x'"),
             qPrintable(rec.problems[2]));
    QVERIFY2(rec.problems[3].startsWith(u"show.session:6: time goes backwards"), qPrintable(rec.problems[3]));
    QVERIFY2(rec.problems[4].startsWith(u"show.session:7: not a command record"),
             qPrintable(rec.problems[4]));
}

void TestSessionFile::truncatedPlainFileKeepsCompleteLines()
{
    const QByteArray text = Header + "\n0 f a1b2808080bf00000000\n50 f a1b2808080bf00000000\n60 f a1b280";
    const SessionRecording rec = SessionReader::parse(text, QStringLiteral("cut.session"));
    QVERIFY(rec.isValid());
    QCOMPARE(rec.frames.size(), size_t(2));
    QCOMPARE(rec.problems.size(), 1);
    QVERIFY2(rec.problems[0].startsWith(u"cut.session:4: ")
                 && rec.problems[0].contains(u"ends inside this line"),
             qPrintable(rec.problems[0]));
}

void TestSessionFile::truncatedGzipKeepsWhatWasSynced()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("t.session.gz"));
    SessionWriter writer;
    QString error;
    QVERIFY(writer.open(path, {}, &error));
    for (int i = 0; i < 100; ++i)
        writer.appendFrames(i * 10, {frameOf(quint16(i % 4), quint8(i))});
    QVERIFY(writer.flush()); // what a second's timer does
    const qint64 synced = QFileInfo(path).size();
    writer.appendFrames(2000, {frameOf(9, 9)});
    writer.close();
    // Simulate a crash: keep the synced bytes and a few of the next block, as a killed process might.
    QByteArray bytes = readAll(path);
    QVERIFY(bytes.size() > synced + 4);
    writeText(path, bytes.left(synced + 3));

    const SessionRecording rec = SessionReader::read(path);
    QVERIFY2(rec.isValid(), qPrintable(rec.error));
    QCOMPARE(rec.frames.size(), size_t(100));
    QCOMPARE(rec.frames.back().ms, 990);
    QVERIFY(!rec.problems.isEmpty());
    QVERIFY2(rec.problems[0].contains(u"ends early"), qPrintable(rec.problems[0]));
}

void TestSessionFile::rejectsWhatIsNotASession_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("reason");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("x.session:1: empty file");
    QTest::newRow("csv") << QByteArray("time,id\n1,2\n")
                         << QStringLiteral("x.session:1: not a GroupLoop session");
    QTest::newRow("future version") << QByteArray(
        R"({"format":"grouploop-session","version":7})"
        "\n") << QStringLiteral("x.session:1: session format version 7 is not supported");
}

void TestSessionFile::rejectsWhatIsNotASession()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, reason);
    const SessionRecording rec = SessionReader::parse(text, QStringLiteral("x.session"));
    QVERIFY(!rec.isValid());
    QVERIFY2(rec.error.startsWith(reason), qPrintable(rec.error));
    QVERIFY(rec.frames.empty());

    const SessionRecording missing = SessionReader::read(QStringLiteral("/nonexistent/x.session"));
    QCOMPARE(missing.error, QStringLiteral("/nonexistent/x.session: no such file"));
}

void TestSessionFile::rotatesBySize()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.session"));
    SessionWriter writer;
    writer.setRotation(4000, 0);
    writer.setDeviceCounter([] { return 7; });
    QSignalSpy rotated(&writer, &SessionWriter::rotated);
    QString error;
    QVERIFY(writer.open(path, {}, &error));
    const int records = 400; // ~27 bytes each: ~10.8 kB, so three parts
    for (int i = 0; i < records; ++i)
        writer.appendFrames(i, {frameOf(quint16(i), 1)});
    writer.close();
    QCOMPARE(rotated.size(), 2);
    QCOMPARE(rotated.at(0).at(0).toString(), dir.filePath(QStringLiteral("big-2.session")));
    QCOMPARE(writer.part(), 3);

    size_t total = 0;
    qint64 previousEnd = -1;
    for (int part = 1; part <= 3; ++part) {
        const QString partPath = SessionWriter::partPath(path, part);
        QVERIFY(QFileInfo(partPath).size() <= 4000 + 40);
        const SessionRecording rec = SessionReader::read(partPath);
        QVERIFY2(rec.isValid() && rec.problems.isEmpty(), qPrintable(rec.error + rec.problems.join(u';')));
        QCOMPARE(rec.header.part, part);
        QCOMPARE(rec.header.devices, part == 1 ? 0 : 7);
        QVERIFY(rec.header.offsetMs > previousEnd); // parts continue one timeline
        QCOMPARE(rec.frames.front().ms, rec.header.offsetMs);
        previousEnd = rec.endMs();
        total += rec.frames.size();
    }
    QCOMPARE(total, size_t(records));
    QCOMPARE(SessionWriter::partPath(QStringLiteral("/a/show.session.gz"), 12),
             QStringLiteral("/a/show-12.session.gz"));
}

void TestSessionFile::rotatesByTime()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("timed.session"));
    SessionWriter writer;
    writer.setRotation(0, 1000);
    QString error;
    QVERIFY(writer.open(path, {}, &error));
    for (int ms = 0; ms < 3500; ms += 50)
        writer.appendFrames(ms, {frameOf(1, 1)});
    writer.close();
    QCOMPARE(writer.part(), 4);
    const SessionRecording second = SessionReader::read(SessionWriter::partPath(path, 2));
    QCOMPARE(second.header.offsetMs, 1000);
    QCOMPARE(second.frames.size(), size_t(20));
    QVERIFY(!QFileInfo::exists(SessionWriter::partPath(path, 5)));
}

void TestSessionFile::flushesOnceASecond()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("live.session"));
    SessionWriter writer;
    QString error;
    QVERIFY(writer.open(path, {}, &error));
    const qint64 headerOnly = QFileInfo(path).size();
    QVERIFY(headerOnly > 0); // the header is on disk at once
    writer.appendFrames(writer.elapsedMs(), {frameOf(1, 1)});
    QCOMPARE(QFileInfo(path).size(), headerOnly); // buffered...
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(path).size() > headerOnly, 2500); // ...written within a second
    QCOMPARE(SessionReader::read(path).frames.size(), size_t(1)); // readable while still open
}

void TestSessionFile::csvHasDecodedValues()
{
    SessionRecording rec;
    SensorFrame f = frameOf(0x00c3, 191, 0xff); // ax ~ +1 g
    f.ay = 64; // -1 g
    f.beacons = {255, 0, 0, 1}; // -40 dBm, not heard, not heard, ~-100 dBm
    rec.frames.push_back({1500, f});
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("out.csv"));
    QString error;
    QVERIFY2(SessionCsv::write(rec, path, &error), qPrintable(error));
    const QList<QByteArray> lines = readAll(path).split('\n');
    QCOMPARE(lines[0], QByteArray("time_s,id,ax_g,ay_g,az_g,nw_dbm,ne_dbm,se_dbm,sw_dbm,tap"));
    QCOMPARE(lines[1], QByteArray("1.500,00c3,0.996,-0.996,0.996,-40.0,,,-99.8,1"));
    QVERIFY(!SessionCsv::write(rec, QStringLiteral("/nonexistent/dir/out.csv"), &error));
    QVERIFY2(error.startsWith(u"/nonexistent/dir/out.csv: cannot create"), qPrintable(error));
}

void TestSessionFile::badPathIsOneLine()
{
    SessionWriter writer;
    QString error;
    QVERIFY(!writer.open(QStringLiteral("/nonexistent/dir/x.session"), {}, &error));
    QVERIFY2(error.startsWith(u"/nonexistent/dir/x.session: cannot create"), qPrintable(error));
    QVERIFY(!error.contains(u'\n'));
    QVERIFY(!writer.isOpen());
}

void TestSessionFile::streamsRotatedPartsAsOneSession_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("plain") << QStringLiteral("long.session");
    QTest::newRow("gzip") << QStringLiteral("long.session.gz");
}

// Rotated parts stream as one session, and an index seeks into any of them.
void TestSessionFile::streamsRotatedPartsAsOneSession()
{
    QFETCH(QString, name);
    QTemporaryDir dir;
    const QString path = dir.filePath(name);
    SessionWriter writer;
    writer.setRotation(8000, 0); // a part per ~8 kB of text
    QString error;
    QVERIFY2(writer.open(path, SessionHeader(), &error), qPrintable(error));
    for (qint64 ms = 0; ms < 30000; ms += 50) {
        writer.appendFrames(ms, {frameOf(0x0101, quint8(ms / 50)), frameOf(0x0202, quint8(ms / 100))});
        if (ms % 5000 == 0)
            writer.appendCommand({ms, QStringLiteral("all"), QStringLiteral("led"), QStringLiteral("ff0000"),
                                  QStringLiteral("success")});
    }
    writer.close();
    QVERIFY(writer.part() >= 3);

    const SessionIndex index = SessionIndex::build(path);
    QVERIFY2(index.isValid(), qPrintable(index.error));
    QCOMPARE(index.parts.size(), writer.part());
    QCOMPARE(index.frames, 1200);
    QCOMPARE(index.commands, 6);
    QCOMPARE(index.deviceIds, (QList<quint16> {0x0101, 0x0202}));
    QCOMPARE(index.endMs, 29950);
    QVERIFY(index.positions.size() >= 29);
    QVERIFY(index.problems.list.isEmpty());

    // Opening a later part plays from there on.
    const SessionIndex fromTwo = SessionIndex::build(SessionWriter::partPath(path, 2));
    QCOMPARE(fromTwo.parts.size(), writer.part() - 1);
    QVERIFY(fromTwo.startMs() > 0);

    // Seek to 17.3 s through the index: the records that follow are the session's own.
    SessionStream stream;
    QVERIFY(stream.open(path, SessionStream::Parts::Follow, &error));
    const SessionPosition at = index.positionBefore(17300);
    QVERIFY(at.ms <= 17300 && at.ms > 17300 - SessionIndex::IntervalMs);
    QVERIFY(stream.seek(at));
    SessionRecord record;
    QVERIFY(stream.next(&record));
    QCOMPARE(record.ms, at.ms);
    qint64 frames = qint64(record.frames.size());
    qint64 lastMs = record.ms;
    while (stream.next(&record)) {
        QVERIFY(record.ms >= lastMs);
        lastMs = record.ms;
        frames += qint64(record.frames.size());
    }
    QCOMPARE(lastMs, 29950);
    QCOMPARE(frames, (30000 - at.ms) / 50 * 2);
    QVERIFY(stream.problems().list.isEmpty());
}

// gzip files of several members (the writer starts one every MemberBytes) restart inflating at
// each member: a seek reads from the member before the line, not from the file's start.
void TestSessionFile::gzipMembersAreRestartPoints()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("members.session.gz"));
    QByteArray first = Header + '\n';
    QByteArray second;
    for (int ms = 0; ms < 1000; ms += 10)
        first += QByteArray::number(ms) + " f " + frameOf(0x0a0a, quint8(ms / 10)).toHex() + '\n';
    for (int ms = 1000; ms < 3000; ms += 10)
        second += QByteArray::number(ms) + " f " + frameOf(0x0a0a, quint8(ms / 10)).toHex() + '\n';
    for (const QByteArray *member : {&first, &second}) {
        gzFile gz = gzopen(QFile::encodeName(path).constData(), member == &first ? "wb" : "ab");
        QVERIFY(gz);
        QCOMPARE(gzwrite(gz, member->constData(), unsigned(member->size())), int(member->size()));
        QCOMPARE(gzclose(gz), Z_OK);
    }
    const SessionIndex index = SessionIndex::build(path);
    QVERIFY2(index.isValid(), qPrintable(index.error));
    QCOMPARE(index.frames, 300);
    const SessionPosition late = index.positionBefore(2500);
    QVERIFY2(late.restart.raw > 0, "the second member is a restart point");
    QCOMPARE(late.restart.text, qint64(first.size()));
    SessionStream stream;
    QString error;
    QVERIFY(stream.open(path, SessionStream::Parts::Single, &error));
    QVERIFY(stream.seek(late));
    SessionRecord record;
    QVERIFY(stream.next(&record));
    QCOMPARE(record.ms, late.ms);
    QCOMPARE(record.frames.front().ax, quint8(late.ms / 10));
}

void TestSessionFile::overlongLineIsSkippedInBoundedMemory()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("huge.session"));
    QByteArray text = Header + "\n0 f " + frameOf(1, 1).toHex() + "\n10 f ";
    text += QByteArray(SessionStream::MaxLineBytes + 1000, 'a');
    text += "\n20 f " + frameOf(1, 2).toHex() + '\n';
    writeText(path, text);
    SessionStream stream;
    QString error;
    QVERIFY(stream.open(path, SessionStream::Parts::Single, &error));
    SessionRecord record;
    QVERIFY(stream.next(&record));
    QCOMPARE(record.ms, 0);
    QVERIFY(stream.next(&record));
    QCOMPARE(record.ms, 20); // the line in between is skipped without being held whole
    QVERIFY(!stream.next(&record));
    QCOMPARE(stream.problems().skippedLines, 1);
    QVERIFY2(
        stream.problems().list.first().endsWith(QStringLiteral("huge.session:3: line longer than 4 MiB")),
        qPrintable(stream.problems().list.first()));
}

QTEST_GUILESS_MAIN(TestSessionFile)
#include "tst_sessionfile.moc"
