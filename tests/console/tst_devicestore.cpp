// DeviceStore and its table models: coalescing, counting, ageing, selection, LED tracking,
// all under QAbstractItemModelTester.
#include "commandcontroller.h"
#include "commandhistorymodel.h"
#include "devicefiltermodel.h"
#include "devicestore.h"
#include "devicetablemodel.h"
#include "fakerelay.h"
#include "logmodel.h"
#include "registrymodel.h"
#include "roommodel.h"
#include "virtualdevice.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace GroupLoop;

namespace {
SensorFrame frameAt(quint16 id, QPointF position, bool tap = false)
{
    SensorFrame f;
    f.id = id;
    f.beacons = RoomModel::beaconBytesAt(position);
    f.tap = tap ? SensorFrame::TapByte : 0;
    return f;
}
} // namespace

class TestDeviceStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void coalescesFramesButCountsEveryOne();
    void placesDevicesFromBeacons_data();
    void placesDevicesFromBeacons();
    void greysThenForgetsSilentDevices();
    void selectionModes();
    void tableFollowsStoreUnderTester();
    void filterAndSortUnderTester();
    void ledPredictionIsTheDeviceModel();
    void otherModelsUnderTester();
    void malformedTextIsCountedNotStored();
    void replayedDevicesAreMarkedAndLeave();
    void replayedDevicesAreNeverTargets();
};

void TestDeviceStore::coalescesFramesButCountsEveryOne()
{
    DeviceStore store;
    QSignalSpy ticked(&store, &DeviceStore::ticked);
    std::vector<TimedFrame> batch;
    for (int i = 0; i < 1000; ++i)
        batch.push_back({frameAt(quint16(i % 10), {100.0 + i % 10 * 50, 300}, i == 500), 1000});
    store.ingest()->push(batch);
    store.tick(1000);
    QCOMPARE(ticked.count(), 1);
    QCOMPARE(store.count(), 10);
    QCOMPARE(store.totalFrames(), quint64(1000));
    quint64 frames = 0, taps = 0;
    for (const DeviceState &d : store.devices()) {
        frames += d.frames;
        taps += d.taps;
        QCOMPARE(d.history.size(), 1); // one history sample per tick, not per frame
    }
    QCOMPARE(frames, quint64(1000));
    QCOMPARE(taps, quint64(1));
}

void TestDeviceStore::placesDevicesFromBeacons_data()
{
    QTest::addColumn<QPointF>("position");
    QTest::newRow("centre") << QPointF(400, 300);
    QTest::newRow("near NW") << QPointF(60, 50);
    QTest::newRow("near SE") << QPointF(740, 560);
    QTest::newRow("east wall") << QPointF(790, 250);
}

void TestDeviceStore::placesDevicesFromBeacons()
{
    // Round trip through the shared room model: the simulator encodes with beaconBytesAt(),
    // the console places with estimatePosition().
    QFETCH(QPointF, position);
    DeviceStore store;
    store.ingest()->push(frameAt(0xabcd, position), 0);
    store.tick(0);
    const DeviceState *d = store.device(0xabcd);
    QVERIFY(d);
    QVERIFY(d->hasPosition);
    QVERIFY2(std::hypot(d->position.x() - position.x(), d->position.y() - position.y()) < 25.0,
             qPrintable(QStringLiteral("placed at %1,%2").arg(d->position.x()).arg(d->position.y())));

    SensorFrame unheard = frameAt(0x0001, position);
    unheard.beacons = {0, 0, 200, 0}; // one beacon: no position
    store.ingest()->push(unheard, 0);
    store.tick(10);
    QVERIFY(!store.device(0x0001)->hasPosition);
}

void TestDeviceStore::greysThenForgetsSilentDevices()
{
    DeviceStore store;
    store.setStaleAfterMs(1000);
    store.setForgetAfterMs(3000);
    QSignalSpy removed(&store, &DeviceStore::deviceRemoved);
    store.ingest()->push(frameAt(1, {100, 100}), 0);
    store.ingest()->push(frameAt(2, {200, 100}), 0);
    store.tick(0);
    store.select({1, 2}, DeviceStore::SelectMode::Replace);
    store.ingest()->push(frameAt(2, {200, 100}), 2500);
    store.tick(1500);
    QVERIFY(store.isStale(*store.device(1)));
    QVERIFY(!store.isStale(*store.device(2)));
    QCOMPARE(store.deviceInfo(QStringLiteral("0001")).value(QStringLiteral("stale")).toBool(), true);
    store.tick(3001);
    QCOMPARE(store.count(), 1);
    QCOMPARE(removed.count(), 1);
    QVERIFY(!store.device(1));
    QCOMPARE(store.rowOf(2), 0);
    QCOMPARE(store.selectedIds(),
             QStringList {QStringLiteral("0002")}); // a forgotten device leaves the selection
    store.tick(5501);
    QCOMPARE(store.count(), 0);
}

void TestDeviceStore::selectionModes()
{
    DeviceStore store;
    for (quint16 id = 1; id <= 4; ++id)
        store.ingest()->push(frameAt(id, {100.0 * id, 100}), 0);
    store.tick(0);
    QSignalSpy changed(&store, &DeviceStore::selectionChanged);
    store.selectOnly(QStringLiteral("0001"));
    QCOMPARE(store.currentId(), QStringLiteral("0001"));
    store.addToSelection(QStringLiteral("0003"));
    store.toggleSelected(QStringLiteral("0001"));
    QCOMPARE(store.selectedIds(), QStringList {QStringLiteral("0003")});
    store.selectAll();
    QCOMPARE(store.selectedCount(), 4);
    store.selectAll(); // no change, no signal
    store.toggleSelected(QStringLiteral("zzzz")); // not an id: ignored
    store.addToSelection(QStringLiteral("0009")); // unknown device: ignored
    store.clearSelection();
    QCOMPARE(store.selectedCount(), 0);
    QCOMPARE(changed.count(), 5);
}

void TestDeviceStore::tableFollowsStoreUnderTester()
{
    DeviceStore store;
    store.setForgetAfterMs(1000);
    DeviceTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setStore(&store);
    model.setRefreshEveryTicks(1);
    QSignalSpy dataChanged(&model, &QAbstractItemModel::dataChanged);
    for (quint16 id = 1; id <= 5; ++id)
        store.ingest()->push(frameAt(id, {100.0 * id, 200}), 0);
    store.tick(0);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.columnCount(), int(DeviceTableModel::ColumnCount));
    QCOMPARE(model.index(2, DeviceTableModel::Id).data().toString(), QStringLiteral("0003"));
    QCOMPARE(model.index(2, DeviceTableModel::Az).data(DeviceTableModel::ValueRole).toDouble(),
             SensorFrame::byteToAccel(191));
    QVERIFY(model.index(2, DeviceTableModel::BeaconNW).data(DeviceTableModel::BarRole).toDouble() > 0.0);
    QCOMPARE(model.index(2, DeviceTableModel::Taps).data(DeviceTableModel::BarRole).toDouble(), -1.0);
    QVERIFY(dataChanged.count() >= 1);

    store.ingest()->push(frameAt(2, {100, 100}), 900);
    store.ingest()->push(frameAt(9, {100, 100}), 900);
    store.tick(1500); // 1, 3, 4, 5 are forgotten, 9 arrives
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("0002"));
    QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("0009"));
    store.selectOnly(QStringLiteral("0009"));
    QCOMPARE(model.index(1, 3).data(DeviceTableModel::SelectedRole).toBool(), true);

    // Inactive (not shown): no cell refreshes; one full refresh when shown again.
    model.setActive(false);
    dataChanged.clear();
    store.ingest()->push(frameAt(2, {300, 300}), 1550);
    store.tick(1600);
    QCOMPARE(dataChanged.count(), 0);
    model.setActive(true);
    QCOMPARE(dataChanged.count(), 1);
}

void TestDeviceStore::filterAndSortUnderTester()
{
    DeviceStore store;
    DeviceTableModel model;
    model.setStore(&store);
    DeviceFilterModel proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setSourceModel(&model);
    const QList<quint16> ids = {0x00a1, 0x00b2, 0x00a3, 0x0c04};
    for (quint16 id : ids) {
        SensorFrame f = frameAt(id, {400, 300});
        f.ax = quint8(id & 0xff); // distinct acceleration to sort by
        store.ingest()->push(f, 0);
    }
    store.tick(0);
    proxy.sortBy(DeviceTableModel::Ax);
    QCOMPARE(proxy.deviceIdAt(0), QStringLiteral("0c04"));
    QCOMPARE(proxy.deviceIdAt(3), QStringLiteral("00b2"));
    proxy.sortBy(DeviceTableModel::Ax); // again: descending
    QVERIFY(proxy.sortDescending());
    QCOMPARE(proxy.deviceIdAt(0), QStringLiteral("00b2"));

    proxy.setFilterText(QStringLiteral("A"));
    QCOMPARE(proxy.rowCount(), 2);
    proxy.setFilterText(QString());
    proxy.setOnlySelected(true);
    QCOMPARE(proxy.rowCount(), 0);
    store.selectOnly(QStringLiteral("00b2"));
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(proxy.deviceIdsBetween(0, 5), QStringList {QStringLiteral("00b2")});
}

void TestDeviceStore::ledPredictionIsTheDeviceModel()
{
    // The console's prediction and a virtual device (the firmware model) see the same commands;
    // the colour the console shows must be the one the device's ring shows at full level.
    LedPrediction leds;
    VirtualDevice device(1);
    device.networkUp();
    qint64 now = 1000;
    auto both = [&](const QString &command, const QString &params) {
        now += 500;
        device.advanceTo(now);
        device.applyCommand(params.isEmpty() ? command : command + u':' + params);
        return leds.apply(1, command, params, now);
    };
    auto deviceColour = [&] {
        const Rgb peak = device.leds().colour().scaled(device.leds().brightness() / 255.0);
        return device.leds().pattern() == LedPattern::Off ? QColor(Qt::black)
                                                          : QColor(peak.r, peak.g, peak.b);
    };

    QVERIFY(!leds.displayColour(1).isValid()); // never commanded: unknown
    QVERIFY(both(u"led"_qs, u"00ff00"_qs));
    QCOMPARE(leds.displayColour(1), QColor(0, 255, 0));
    QVERIFY(both(u"pattern"_qs, u"heartbeat"_qs)); // heartbeat keeps its own colour: red
    QCOMPARE(leds.displayColour(1), QColor(255, 0, 0));
    QCOMPARE(leds.displayColour(1), deviceColour());
    QCOMPARE(leds.patternName(1), u"heartbeat"_qs);
    QVERIFY(both(u"pattern"_qs, u"breathing"_qs)); // back to the green set while breathing
    QCOMPARE(leds.displayColour(1), QColor(0, 255, 0));
    QVERIFY(both(u"pattern"_qs, u"cycle"_qs)); // cycle: white by default, one LED lit at a time
    QCOMPARE(leds.displayColour(1), QColor(255, 255, 255));
    const QStringList ring = leds.ringAt(1, now + 250);
    QCOMPARE(ring.size(), 6);
    QCOMPARE(ring.count(u"#000000"_qs), 5);
    QVERIFY(both(u"brightness"_qs, u"128"_qs));
    QCOMPARE(leds.displayColour(1), deviceColour());
    QCOMPARE(leds.brightness(1), 128);
    QVERIFY(!both(u"led"_qs, u"red"_qs)); // not 6 hex: the firmware ignores it
    QVERIFY(!both(u"nonsense"_qs, QString()));
    QVERIFY(both(u"pattern"_qs, u"off"_qs));
    QCOMPARE(leds.displayColour(1), QColor(Qt::black));
    QVERIFY(both(u"led"_qs, u"0000ff"_qs)); // colours the off pattern: stays dark, as on the device
    QCOMPARE(leds.displayColour(1), QColor(Qt::black));
    QVERIFY(both(u"brightness"_qs, u"255"_qs));
    QVERIFY(both(u"led_set"_qs, u"2:0000ff"_qs));
    QVERIFY(both(u"led_set"_qs, u"3:ff0000"_qs));
    QCOMPARE(leds.displayColour(1), QColor(127, 0, 127)); // mean of the lit LEDs
    QCOMPARE(leds.patternName(1), u"per-LED"_qs);
    QCOMPARE(leds.ringAt(1, now),
             (QStringList {u"#000000"_qs, u"#000000"_qs, u"#0000ff"_qs, u"#ff0000"_qs, u"#000000"_qs,
                           u"#000000"_qs}));
    QVERIFY(!both(u"led_set"_qs, u"6:ff0000"_qs));
    QVERIFY(both(u"led_off"_qs, u"3"_qs));
    QCOMPARE(leds.displayColour(1), QColor(0, 0, 255));
    QVERIFY(both(u"led_all_off"_qs, QString()));
    QCOMPARE(leds.displayColour(1), QColor(Qt::black));
    QVERIFY(both(u"pattern"_qs, u"heartbeat"_qs)); // leaves per-LED mode
    QVERIFY(both(u"reset"_qs, QString())); // restarts the beat: dark for its first 2 s
    QCOMPARE(leds.ringAt(1, now + 100), QStringList(6, u"#000000"_qs));
    QCOMPARE(leds.ringAt(1, now + 2060), QStringList(6, u"#ff0000"_qs));
    for (int i = 0; i < LedRing::Count; ++i)
        QCOMPARE(leds.ringAt(1, now + 2100).at(i),
                 u'#' + device.leds().coloursAt(now + 2100)[size_t(i)].toHex());

    QVERIFY(both(u"pattern"_qs, u"breathing"_qs)); // a fresh device's breathing colour is random
    LedPrediction fresh;
    QVERIFY(fresh.apply(2, u"pattern"_qs, u"breathing"_qs, now));
    QVERIFY(!fresh.displayColour(2).isValid());
    QVERIFY(fresh.ringAt(2, now).isEmpty());
    QVERIFY(fresh.apply(2, u"ota"_qs, u"http://host/fw.bin"_qs, now)); // reboots: unknown again
    QVERIFY(!fresh.isKnown(2));
}

void TestDeviceStore::otherModelsUnderTester()
{
    LogModel log;
    log.setMaxEntries(10);
    LogFilterModel filter;
    QAbstractItemModelTester logTester(&log, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester filterTester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    filter.setSourceModel(&log);
    for (int i = 0; i < 15; ++i)
        log.append(i % 3, QStringLiteral("test"), QStringLiteral("line %1").arg(i));
    QCOMPARE(log.rowCount(), 10);
    QCOMPARE(filter.count(), 10);
    filter.setMinimumLevel(LogModel::Error);
    QCOMPARE(filter.count(), 4); // lines 5, 8, 11, 14 of the 10 kept
    filter.setFilterText(QStringLiteral("line 14"));
    QCOMPARE(filter.count(), 1);
    QVERIFY(filter.text().endsWith(QStringLiteral("ERROR [test] line 14")));
    log.clear();
    QCOMPARE(filter.count(), 0);

    RegistryModel registry;
    QAbstractItemModelTester registryTester(&registry,
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(registry.rowCount(), 12);
    QCOMPARE(registry.genericCount(), 1); // led_get_state has no dedicated control
    QCOMPARE(
        registry.complete(QStringLiteral("led")),
        (QStringList {QStringLiteral("led:"), QStringLiteral("led_all_off"), QStringLiteral("led_get_state"),
                      QStringLiteral("led_off:"), QStringLiteral("led_set:")}));
    QCOMPARE(registry.complete(QStringLiteral("pattern:he")),
             QStringList {QStringLiteral("pattern:heartbeat")});
    const auto extra = CommandRegistry::fromJson(R"({"commands":{"dance":{"parameters":["style"]}}})");
    QVERIFY(extra);
    registry.setRegistry(*extra);
    QCOMPARE(registry.rowCount(), 1);
    QCOMPARE(registry.index(0).data(RegistryModel::HasWidgetRole).toBool(), false);

    CommandHistoryModel history;
    QAbstractItemModelTester historyTester(&history, QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (int i = 0; i < CommandHistoryModel::MaxRows + 5; ++i) {
        SendRecord r;
        r.sendId = i + 1;
        r.expected = 1;
        history.add(r);
    }
    QCOMPARE(history.rowCount(), CommandHistoryModel::MaxRows);
    QVERIFY(history.find(CommandHistoryModel::MaxRows + 5));
    QVERIFY(!history.find(1));
}

void TestDeviceStore::malformedTextIsCountedNotStored()
{
    DeviceStore store;
    QVERIFY(!store.pushFrameText(QStringLiteral("not a frame")));
    QVERIFY(!store.pushFrameText(QStringLiteral("12345")));
    QVERIFY(store.pushFrameText(QStringLiteral("ABCD8080bf0000000000")));
    store.tick(0);
    QCOMPARE(store.count(), 1);
    QCOMPARE(store.ingest()->malformedLines(), quint64(2));
    QCOMPARE(store.ids(), QStringList {QStringLiteral("abcd")});
}

QTEST_GUILESS_MAIN(TestDeviceStore)
namespace {
SensorFrame frameFor(quint16 id)
{
    SensorFrame f;
    f.id = id;
    f.beacons = {200, 150, 100, 120};
    return f;
}
} // namespace

void TestDeviceStore::replayedDevicesAreMarkedAndLeave()
{
    DeviceStore store;
    DeviceTableModel table;
    table.setStore(&store);
    DeviceFilterModel filter;
    filter.setSourceModel(&table);
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const qint64 t0 = 100000;
    store.ingest()->push({TimedFrame {frameFor(0x0001), t0}}, FrameSource::Live);
    store.ingest()->push({TimedFrame {frameFor(0x0002), t0}, TimedFrame {frameFor(0x0003), t0}},
                         FrameSource::Replay);
    store.tick(t0);
    QCOMPARE(store.count(), 3);
    QCOMPARE(store.replayedCount(), 2);
    QVERIFY(!store.isReplayOnly(0x0001));
    QVERIFY(store.isReplayOnly(0x0002));
    QCOMPARE(store.deviceInfo(QStringLiteral("0002")).value(QStringLiteral("replayed")).toBool(), true);
    QCOMPARE(table.index(store.rowOf(0x0002), 0).data(DeviceTableModel::ReplayedRole).toBool(), true);

    // Shown together or apart.
    filter.setSources(DeviceStore::LiveSources);
    QCOMPARE(filter.rowCount(), 1);
    filter.setSources(DeviceStore::ReplaySources);
    QCOMPARE(filter.rowCount(), 2);
    store.setShownSources(DeviceStore::LiveSources);
    store.selectAll();
    QCOMPARE(store.selectedIds(), QStringList {QStringLiteral("0001")});
    store.setShownSources(DeviceStore::AllSources);

    // A device heard live too is live (commands reach it) and stays when the replay stops.
    store.ingest()->push({TimedFrame {frameFor(0x0003), t0 + 50}}, FrameSource::Live);
    store.tick(t0 + 50);
    QVERIFY(!store.isReplayOnly(0x0003));
    QCOMPARE(store.replayedCount(), 1);

    // The replay stops: its devices leave at once, with frames still pending.
    store.ingest()->push({TimedFrame {frameFor(0x0002), t0 + 60}, TimedFrame {frameFor(0x0004), t0 + 60}},
                         FrameSource::Replay);
    store.endReplay();
    store.tick(t0 + 100);
    QCOMPARE(store.ids(), (QStringList {QStringLiteral("0001"), QStringLiteral("0003")}));
    QCOMPARE(store.replayedCount(), 0);

    // After a replay that ended (nothing holds them), ghosts age out like live devices.
    store.ingest()->push({TimedFrame {frameFor(0x0005), t0 + 100}}, FrameSource::Replay);
    store.tick(t0 + 100);
    QVERIFY(store.isReplayOnly(0x0005));
    store.tick(t0 + 100 + store.staleAfterMs() + 1);
    QVERIFY(store.isStale(*store.device(0x0005)));
    store.tick(t0 + 100 + store.forgetAfterMs() + 1);
    QCOMPARE(store.device(0x0005), nullptr);
}

void TestDeviceStore::replayedDevicesAreNeverTargets()
{
    DeviceStore store;
    Testing::FakeTransport transport;
    transport.setReady(true);
    RegistryModel registry;
    CommandController commands(&store, &transport, &registry);
    const qint64 t0 = 100000;
    store.ingest()->push({TimedFrame {frameFor(0x0001), t0}}, FrameSource::Live);
    store.ingest()->push({TimedFrame {frameFor(0x0002), t0}, TimedFrame {frameFor(0x0003), t0}},
                         FrameSource::Replay);
    store.tick(t0);

    // A selection of live and replayed devices: only the live one is sent, and the panel says why.
    store.selectAll();
    commands.setTargetMode(CommandController::Selection);
    QVERIFY(commands.canSend());
    QVERIFY2(commands.targetSummary().contains(QStringLiteral("2 replayed devices are not sent commands")),
             qPrintable(commands.targetSummary()));
    QVERIFY(commands.send(QStringLiteral("led"), QStringLiteral("ff0000")) > 0);
    QCOMPARE(transport.sent(), QStringList {QStringLiteral("cmd:0001:led:ff0000")});

    // Only replayed devices selected: nothing is sent.
    store.select({0x0002, 0x0003}, DeviceStore::SelectMode::Replace);
    QVERIFY(!commands.canSend());
    QCOMPARE(commands.send(QStringLiteral("led"), QStringLiteral("00ff00")), 0);
    QVERIFY2(commands.lastSummary().contains(QStringLiteral("replayed")), qPrintable(commands.lastSummary()));

    // One replayed device, typed or raw: refused with the reason.
    commands.setTargetMode(CommandController::One);
    commands.setOneTarget(QStringLiteral("0002"));
    QVERIFY(!commands.canSend());
    QCOMPARE(commands.send(QStringLiteral("led"), QStringLiteral("00ff00")), 0);
    QCOMPARE(commands.sendRaw(QStringLiteral("cmd:0003:led:0000ff")), 0);
    QVERIFY2(commands.lastSummary().contains(QStringLiteral("no relay knows it")),
             qPrintable(commands.lastSummary()));
    QCOMPARE(transport.sent().size(), 1);

    // All: one cmd:all (the relay reaches live devices only), and the summary says so.
    commands.setTargetMode(CommandController::All);
    QVERIFY2(commands.targetSummary().contains(QStringLiteral("not the 2 replayed")),
             qPrintable(commands.targetSummary()));
    QVERIFY(commands.send(QStringLiteral("led"), QStringLiteral("0000ff")) > 0);
    QCOMPARE(transport.sent().last(), QStringLiteral("cmd:all:led:0000ff"));
}

#include "tst_devicestore.moc"
