// Rollout, the state machine of one firmware rollout, fed events by hand: batches, the path to
// updated, every way to fail (with its reason), cancel, and outside URLs it cannot see served.
#include "rollout.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace GroupLoop;

namespace {

constexpr qint64 Image = 1000;
constexpr qint64 Timeout = 5000;

Rollout::Settings settings(qint64 totalBytes = Image, int batch = 0)
{
    return Rollout::Settings {QStringLiteral("r1"), QStringLiteral("app.bin"), totalBytes, batch, Timeout};
}

// Sends to everyone, giving each device the key "k<id>"; records who was sent.
struct Sender
{
    QList<quint16> sent;
    QList<quint16> unreachable;
    Rollout::Sender fn()
    {
        return [this](OtaDevice &device) -> std::optional<QString> {
            if (unreachable.contains(device.id))
                return QStringLiteral("not connected to this relay");
            device.downloadKey = QStringLiteral("k") + QString::number(device.id);
            sent.append(device.id);
            return std::nullopt;
        };
    }
};

QString key(quint16 id)
{
    return QStringLiteral("k") + QString::number(id);
}

OtaState stateOf(const Rollout &rollout, quint16 id)
{
    for (const OtaDevice &device : rollout.devices()) {
        if (device.id == id)
            return device.state;
    }
    return OtaState::Queued;
}

QString errorOf(const Rollout &rollout, quint16 id)
{
    for (const OtaDevice &device : rollout.devices()) {
        if (device.id == id)
            return device.error;
    }
    return {};
}

// The whole happy path of one device.
void update(Rollout &rollout, quint16 id, qint64 now)
{
    rollout.downloadStarted(key(id), now);
    rollout.downloadProgress(key(id), Image / 2);
    rollout.downloadEnded(key(id), Image, now);
    rollout.deviceGone(id, now);
    rollout.deviceBack(id, now);
}

} // namespace

class TestRollout : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void updatedAfterDownloadRebootAndReturn();
    void batchesKeepAtMostNInFlight();
    void failuresCarryReasons_data();
    void failuresCarryReasons();
    void unreachableDeviceFailsAndTheNextGoes();
    void undeliveredThroughTheClusterFailsAndTheNextGoes();
    void cancelStopsWhatWasNotSent();
    void outsideUrlFollowsTheConnectionOnly();
    void resultHookHearsEveryEnd();
};

void TestRollout::updatedAfterDownloadRebootAndReturn()
{
    Rollout rollout(settings(), {1}, 0);
    Sender sender;
    rollout.advance(0, sender.fn());
    QCOMPARE(stateOf(rollout, 1), OtaState::Sent);
    rollout.downloadStarted(key(1), 10);
    QCOMPARE(stateOf(rollout, 1), OtaState::Downloading);
    rollout.downloadProgress(key(1), 400);
    QCOMPARE(rollout.devices()[0].bytes, 400);
    rollout.downloadEnded(key(1), Image, 20);
    QCOMPARE(stateOf(rollout, 1), OtaState::Downloading); // not updated before it reboots
    rollout.deviceGone(1, 30);
    QCOMPARE(stateOf(rollout, 1), OtaState::Rebooting);
    rollout.deviceBack(1, 40);
    QCOMPARE(stateOf(rollout, 1), OtaState::Updated);
    rollout.advance(40, sender.fn());
    QCOMPARE(rollout.state(), Rollout::State::Done);
    const QJsonObject json = rollout.toJson();
    QCOMPARE(json.value(u"state").toString(), u"done"_qs);
    QCOMPARE(json.value(u"total_bytes").toInteger(), Image);
    QCOMPARE(json.value(u"counts").toObject().value(u"updated").toInt(), 1);
    QCOMPARE(json.value(u"devices").toArray().at(0).toObject().value(u"bytes").toInteger(), Image);
}

void TestRollout::batchesKeepAtMostNInFlight()
{
    Rollout rollout(settings(Image, 2), {1, 2, 3, 4, 5}, 0);
    Sender sender;
    rollout.advance(0, sender.fn());
    QCOMPARE(sender.sent, (QList<quint16> {1, 2}));
    update(rollout, 1, 10);
    rollout.advance(10, sender.fn());
    QCOMPARE(sender.sent, (QList<quint16> {1, 2, 3})); // one ended, one more goes
    update(rollout, 2, 20);
    update(rollout, 3, 20);
    rollout.advance(20, sender.fn());
    QCOMPARE(sender.sent.size(), 5);
    QCOMPARE(rollout.state(), Rollout::State::Running);
    update(rollout, 4, 30);
    update(rollout, 5, 30);
    rollout.advance(30, sender.fn());
    QCOMPARE(rollout.count(OtaState::Updated), 5);
    QCOMPARE(rollout.state(), Rollout::State::Done);
}

void TestRollout::failuresCarryReasons_data()
{
    QTest::addColumn<int>("scenario");
    QTest::addColumn<QString>("reason");
    QTest::newRow("no download") << 0 << u"no download within 5 s"_qs;
    QTest::newRow("partial download") << 1 << u"partial download: 300 of 1000 bytes"_qs;
    QTest::newRow("never reboots") << 2 << u"downloaded the image but did not reboot within 5 s"_qs;
    QTest::newRow("never returns") << 3 << u"did not come back within 5 s"_qs;
    QTest::newRow("reboots without downloading") << 4 << u"reconnected without downloading the image"_qs;
    QTest::newRow("download never ends") << 5 << u"download not finished within 5 s (300 of 1000 bytes)"_qs;
}

void TestRollout::failuresCarryReasons()
{
    QFETCH(int, scenario);
    QFETCH(QString, reason);
    Rollout rollout(settings(), {7}, 0);
    Sender sender;
    rollout.advance(0, sender.fn());
    switch (scenario) {
    case 1:
        rollout.downloadStarted(key(7), 100);
        rollout.downloadEnded(key(7), 300, 200);
        break;
    case 2:
        rollout.downloadStarted(key(7), 100);
        rollout.downloadEnded(key(7), Image, 200);
        break;
    case 3:
        rollout.downloadStarted(key(7), 100);
        rollout.downloadEnded(key(7), Image, 200);
        rollout.deviceGone(7, 300);
        break;
    case 4:
        rollout.deviceGone(7, 100);
        rollout.deviceBack(7, 200);
        break;
    case 5:
        rollout.downloadStarted(key(7), 100);
        rollout.downloadProgress(key(7), 300);
        break;
    default:
        break;
    }
    rollout.expire(Timeout - 1); // not yet: every phase started at 0 or later
    if (scenario != 1 && scenario != 4)
        QCOMPARE_NE(stateOf(rollout, 7), OtaState::Failed);
    rollout.expire(Timeout + 400);
    QCOMPARE(stateOf(rollout, 7), OtaState::Failed);
    QCOMPARE(errorOf(rollout, 7), reason);
    rollout.deviceBack(7, Timeout + 500); // too late: failed stays failed
    QCOMPARE(stateOf(rollout, 7), OtaState::Failed);
    rollout.advance(Timeout + 500, sender.fn());
    QCOMPARE(rollout.state(), Rollout::State::Done);
}

void TestRollout::unreachableDeviceFailsAndTheNextGoes()
{
    Rollout rollout(settings(Image, 1), {1, 2}, 0);
    Sender sender;
    sender.unreachable = {1};
    rollout.advance(0, sender.fn());
    QCOMPARE(stateOf(rollout, 1), OtaState::Failed);
    QCOMPARE(errorOf(rollout, 1), u"not connected to this relay"_qs);
    QCOMPARE(sender.sent, QList<quint16> {2});
}

void TestRollout::undeliveredThroughTheClusterFailsAndTheNextGoes()
{
    // Routed to another relay, the command's fate is known later; only a device still `sent` fails.
    Rollout rollout(settings(Image, 1), {1, 2}, 0);
    Sender sender;
    rollout.advance(0, sender.fn());
    QCOMPARE(stateOf(rollout, 1), OtaState::Sent);
    rollout.undelivered(1, u"not connected to any relay of the cluster"_qs, 10);
    QCOMPARE(stateOf(rollout, 1), OtaState::Failed);
    QCOMPARE(errorOf(rollout, 1), u"not connected to any relay of the cluster"_qs);
    rollout.advance(10, sender.fn());
    QCOMPARE(sender.sent, (QList<quint16> {1, 2}));
    rollout.downloadStarted(key(2), 20);
    rollout.undelivered(2, u"late"_qs, 30); // it already answered by downloading
    QCOMPARE(stateOf(rollout, 2), OtaState::Downloading);
}

void TestRollout::cancelStopsWhatWasNotSent()
{
    Rollout rollout(settings(Image, 1), {1, 2, 3}, 0);
    Sender sender;
    rollout.advance(0, sender.fn());
    rollout.cancel(10);
    QCOMPARE(rollout.state(), Rollout::State::Cancelled);
    QCOMPARE(stateOf(rollout, 2), OtaState::Failed);
    QCOMPARE(errorOf(rollout, 3), u"cancelled before it was sent"_qs);
    QVERIFY(!rollout.settled()); // device 1 is still followed
    update(rollout, 1, 20);
    rollout.advance(20, sender.fn());
    QCOMPARE(sender.sent, QList<quint16> {1});
    QCOMPARE(stateOf(rollout, 1), OtaState::Updated);
    QVERIFY(rollout.settled());
    QCOMPARE(rollout.state(), Rollout::State::Cancelled);
}

void TestRollout::outsideUrlFollowsTheConnectionOnly()
{
    Rollout rollout(settings(-1), {1, 2}, 0);
    Sender sender;
    rollout.advance(0, sender.fn());
    rollout.deviceGone(1, 10);
    QCOMPARE(stateOf(rollout, 1), OtaState::Rebooting);
    rollout.deviceBack(1, 20);
    QCOMPARE(stateOf(rollout, 1), OtaState::Updated);
    rollout.expire(Timeout + 1);
    QCOMPARE(errorOf(rollout, 2), u"did not reboot within 5 s"_qs);
    QVERIFY(rollout.toJson().value(u"total_bytes").isNull());
}

void TestRollout::resultHookHearsEveryEnd()
{
    Rollout rollout(settings(), {1, 2}, 0);
    QStringList heard;
    rollout.setResultHook([&](const OtaDevice &device) {
        heard << QString::number(device.id) + u':' + otaStateName(device.state) + u':' + device.error;
    });
    Sender sender;
    rollout.advance(0, sender.fn());
    update(rollout, 1, 10);
    rollout.expire(Timeout);
    QCOMPARE(heard, (QStringList {u"1:updated:"_qs, u"2:failed:no download within 5 s"_qs}));
}

QTEST_GUILESS_MAIN(TestRollout)
#include "tst_rollout.moc"
