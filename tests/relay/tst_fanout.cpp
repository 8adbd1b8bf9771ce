// FanOut on its own, with fake subscribers: the frames of one pass leave as one message per
// subscriber, serialised once and lowercased; --fanout-ms paces a busy stream and joins what
// came meanwhile; --batch-ms holds a window; --one-frame-per-message sends each at once; a
// congested subscriber gets its frames coalesced (last value per device) and drained in one
// message; frames from other relays leave at once when due; the observer sees every local
// frame and every batch once.
#include "fanout.h"

#include <QCoreApplication>
#include <QTest>

using namespace GroupLoop;

namespace {

class FakeSubscriber : public FanOut::Subscriber
{
public:
    qint64 bytesToWrite() const override { return queued; }
    qint64 sendText(QByteArrayView utf8) override
    {
        if (closing)
            return -1;
        messages.append(utf8.toByteArray());
        return utf8.size();
    }
    bool isClosing() const override { return closing; }
    QString name() const override { return QStringLiteral("#1 test"); }

    qint64 queued = 0;
    bool closing = false;
    QList<QByteArray> messages;
};

class RecordingObserver : public FanOut::Observer
{
public:
    void localFrameAdded(const char *record) override
    {
        localFrames.append(QByteArray(record, SensorFrame::TextLength + 1));
    }
    void aboutToDeliver(QByteArrayView batch) override { batches.append(batch.toByteArray()); }

    QList<QByteArray> localFrames;
    QList<QByteArray> batches;
};

// A frame line of device `id` whose last byte is `n`, in upper case as some firmware sends it.
QString frame(quint16 id, int n)
{
    return QStringLiteral("%1AABBCCDDEEFF00%2")
        .arg(id, 4, 16, QLatin1Char('0'))
        .arg(n, 2, 16, QLatin1Char('0'))
        .toUpper();
}

void add(FanOut &fanOut, quint16 id, int n)
{
    fanOut.addFrame(id, frame(id, n));
}

QByteArray lower(const QString &line)
{
    return line.toLower().toLatin1() + '\n';
}

FanOutSettings settings(int fanoutMs = 8, int batchMs = 0, bool oneFramePerMessage = false)
{
    FanOutSettings s;
    s.fanoutMs = fanoutMs;
    s.batchMs = batchMs;
    s.oneFramePerMessage = oneFramePerMessage;
    s.outboxHighWaterBytes = 1000;
    s.busyFramesPerSecond = 0; // paced from the first frame on, as under load
    return s;
}

} // namespace

class TestFanOut : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void framesOfOnePassLeaveAsOneMessage();
    void pacingJoinsWhatCameMeanwhile();
    void lightLoadIsNotPaced();
    void batchWindowHoldsFrames();
    void oneFramePerMessageSendsAtOnce();
    void congestedSubscriberIsCoalescedThenDrained();
    void recordsFromElsewhereLeaveAtOnceWhenDue();
    void closingAndUnsubscribedGetNothing();
};

void TestFanOut::framesOfOnePassLeaveAsOneMessage()
{
    RecordingObserver observer;
    FanOut fanOut(settings(), &observer);
    FakeSubscriber a, b;
    fanOut.subscribe(&a);
    fanOut.subscribe(&b);
    fanOut.subscribe(&a); // twice: still one subscription
    QCOMPARE(fanOut.subscriberCount(), 2);

    add(fanOut, 0x1a2b, 1);
    add(fanOut, 0x00ff, 2);
    add(fanOut, 0x1a2b, 3);
    QVERIFY(a.messages.isEmpty()); // not before the end of the pass
    QTRY_COMPARE(a.messages.size(), 1);
    const QByteArray expected = lower(frame(0x1a2b, 1)) + lower(frame(0x00ff, 2)) + lower(frame(0x1a2b, 3));
    QCOMPARE(a.messages.constFirst(), expected);
    QCOMPARE(b.messages, QList<QByteArray> {expected});

    QCOMPARE(observer.localFrames,
             (QList<QByteArray> {lower(frame(0x1a2b, 1)), lower(frame(0x00ff, 2)), lower(frame(0x1a2b, 3))}));
    QCOMPARE(observer.batches, QList<QByteArray> {expected}); // once, not once per subscriber
    QCOMPARE(fanOut.stats().framesOut, 6u);
    QCOMPARE(fanOut.stats().messagesOut, 2u);
    QCOMPARE(fanOut.stats().bytesOut, quint64(2 * expected.size()));
}

void TestFanOut::pacingJoinsWhatCameMeanwhile()
{
    FanOut fanOut(settings(/*fanoutMs*/ 3000));
    FakeSubscriber s;
    fanOut.subscribe(&s);
    add(fanOut, 1, 1); // after a quiet spell: at the end of its pass
    QTRY_COMPARE(s.messages.size(), 1);
    add(fanOut, 1, 2); // while busy: not sooner than fanoutMs after the previous message
    QCoreApplication::processEvents();
    add(fanOut, 2, 3);
    QCoreApplication::processEvents();
    QCOMPARE(s.messages.size(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(s.messages.size(), 2, 10000);
    QCOMPARE(s.messages.at(1), lower(frame(1, 2)) + lower(frame(2, 3)));
}

void TestFanOut::lightLoadIsNotPaced()
{
    FanOutSettings light = settings(/*fanoutMs*/ 60000);
    light.busyFramesPerSecond = 2000; // the default: a few frames a pass are far below it
    FanOut fanOut(light);
    FakeSubscriber s;
    fanOut.subscribe(&s);
    // Paced, the second message would wait a minute; idle, every pass's frames leave at its end.
    for (int i = 0; i < 5; ++i) {
        add(fanOut, 1, i);
        add(fanOut, 2, i);
        QTRY_COMPARE_WITH_TIMEOUT(s.messages.size(), i + 1, 20000);
        QCOMPARE(s.messages.at(i), lower(frame(1, i)) + lower(frame(2, i)));
    }
}

void TestFanOut::batchWindowHoldsFrames()
{
    FanOut fanOut(settings(/*fanoutMs*/ 0, /*batchMs*/ 3000));
    FakeSubscriber s;
    fanOut.subscribe(&s);
    add(fanOut, 1, 1);
    QCoreApplication::processEvents();
    add(fanOut, 2, 2);
    QCoreApplication::processEvents();
    QVERIFY(s.messages.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(s.messages.size(), 1, 10000);
    QCOMPARE(s.messages.constFirst(), lower(frame(1, 1)) + lower(frame(2, 2)));
}

void TestFanOut::oneFramePerMessageSendsAtOnce()
{
    RecordingObserver observer;
    FanOut fanOut(settings(8, 0, /*oneFramePerMessage*/ true), &observer);
    FakeSubscriber s;
    fanOut.subscribe(&s);
    add(fanOut, 1, 1);
    add(fanOut, 1, 2);
    QCOMPARE(s.messages, (QList<QByteArray> {lower(frame(1, 1)), lower(frame(1, 2))}));
    QCOMPARE(observer.batches.size(), 2);
}

void TestFanOut::congestedSubscriberIsCoalescedThenDrained()
{
    FanOut fanOut(settings());
    FakeSubscriber slow, fast;
    fanOut.subscribe(&slow);
    fanOut.subscribe(&fast);
    slow.queued = 1001; // over the high-water mark
    QCOMPARE(fanOut.congestedForMs(slow), -1);
    add(fanOut, 1, 1);
    add(fanOut, 2, 1);
    add(fanOut, 1, 2); // replaces 1/1 for the slow one
    fanOut.flush();
    QVERIFY(slow.messages.isEmpty());
    QCOMPARE(fast.messages.size(), 1);
    QVERIFY(slow.isCongested());
    QVERIFY(fanOut.congestedForMs(slow) >= 0);
    QCOMPARE(fanOut.stats().framesCoalesced, 1u);

    slow.queued = 0; // it drained, but it stays congested until told
    add(fanOut, 1, 3);
    fanOut.flush();
    QVERIFY(slow.messages.isEmpty());
    QCOMPARE(fanOut.stats().framesCoalesced, 2u);

    slow.queued = 501; // over half the mark: still congested
    fanOut.drain(&slow);
    QVERIFY(slow.messages.isEmpty());
    slow.queued = 500;
    fanOut.drain(&slow);
    QVERIFY(!slow.isCongested());
    QCOMPARE(slow.messages.size(), 1);
    QList<QByteArray> lines = slow.messages.constFirst().split('\n');
    lines.removeAll(QByteArray());
    std::sort(lines.begin(), lines.end());
    QCOMPARE(lines, (QList<QByteArray> {lower(frame(1, 3)).chopped(1), lower(frame(2, 1)).chopped(1)}));
    QCOMPARE(fanOut.stats().framesOut, 4u + 2u); // 4 to the fast one, 2 drained

    add(fanOut, 2, 2); // streaming again
    fanOut.flush();
    QCOMPARE(slow.messages.size(), 2);
}

void TestFanOut::recordsFromElsewhereLeaveAtOnceWhenDue()
{
    RecordingObserver observer;
    FanOut fanOut(settings(/*fanoutMs*/ 3000), &observer);
    FakeSubscriber s;
    fanOut.subscribe(&s);
    const QByteArray records = lower(frame(7, 1)) + lower(frame(8, 1));
    fanOut.addRecord(7, records.constData());
    fanOut.addRecord(8, records.constData() + SensorFrame::TextLength + 1);
    fanOut.recordsAdded();
    QCOMPARE(s.messages, QList<QByteArray> {records}); // the first message is due at once
    QVERIFY(observer.localFrames.isEmpty()); // the cluster publishes local frames only
    QCOMPARE(observer.batches, QList<QByteArray> {records}); // recording sees them all

    fanOut.addRecord(7, records.constData()); // just after a message: paced like local frames
    fanOut.recordsAdded();
    QCOMPARE(s.messages.size(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(s.messages.size(), 2, 10000);
}

void TestFanOut::closingAndUnsubscribedGetNothing()
{
    FanOut fanOut(settings());
    FakeSubscriber closing, gone, open;
    fanOut.subscribe(&closing);
    fanOut.subscribe(&gone);
    fanOut.subscribe(&open);
    closing.closing = true;
    fanOut.unsubscribe(&gone);
    QCOMPARE(fanOut.subscriberCount(), 2);
    add(fanOut, 1, 1);
    fanOut.flush();
    QVERIFY(closing.messages.isEmpty());
    QVERIFY(gone.messages.isEmpty());
    QCOMPARE(open.messages.size(), 1);
    QCOMPARE(fanOut.stats().framesOut, 1u);
}

QTEST_GUILESS_MAIN(TestFanOut)
#include "tst_fanout.moc"
