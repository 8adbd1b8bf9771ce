// UI smoke test: the whole console window offscreen, connected to a real relay in-process
// with a test device (a plain QWebSocket sending frames). Walks every view by objectName,
// sends a command to the device through the command panel, and fails on any QML warning.
#include "consolecontext.h"
#include "devicefeeder.h"
#include "devicestore.h"
#include "relayclient.h"
#include "relaytestclient.h"
#include "sessionplayer.h"

#include <QQmlApplicationEngine>
#include <QQmlExtensionPlugin>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSet>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

Q_IMPORT_QML_PLUGIN(GroupLoop_ConsolePlugin)
Q_IMPORT_QML_PLUGIN(GroupLoop_UiPlugin)

using namespace GroupLoop;

#ifdef GROUPLOOP_SANITIZED
// Under ASan+UBSan the whole window renders several times slower, and on a busy machine a wait
// overran Qt's 5 s; those builds check correctness, so they get 20 s (plain builds keep 5 s).
#undef QTRY_VERIFY
#define QTRY_VERIFY(expr) QTRY_VERIFY_WITH_TIMEOUT(expr, 20000)
#undef QTRY_VERIFY2
#define QTRY_VERIFY2(expr, message) QTRY_VERIFY2_WITH_TIMEOUT(expr, message, 20000)
#undef QTRY_COMPARE
#define QTRY_COMPARE(expr, expected) QTRY_COMPARE_WITH_TIMEOUT(expr, expected, 20000)
#endif

namespace {
QStringList g_warnings;
QtMessageHandler g_previous = nullptr;

void collectWarnings(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const bool fromRelay = context.category && QByteArray(context.category).startsWith("grouploop.");
    if (type >= QtWarningMsg && !fromRelay && !message.contains(QLatin1String("XDG_RUNTIME_DIR")))
        g_warnings << message;
    if (g_previous)
        g_previous(type, context, message);
}
} // namespace

class TestUiSmoke : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void loadsWithoutWarnings();
    void walksEveryView();
    void sendsCommandToTestDevice();
    void themeAndShortcutsWork();
    void fieldSelectsWithMouse();
    void opensEveryDialog();
    void remembersWindowState();

private:
    QObject *find(const char *name) const;
    QTemporaryDir m_dir;
    std::unique_ptr<RelayServer> m_relay;
    std::unique_ptr<ConsoleContext> m_context;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    std::unique_ptr<Testing::DeviceFeeder> m_device;
    QQuickWindow *m_window = nullptr;
};

// Controls' Dialog (and the console's dialogs built on it) and QtQuick.Dialogs' FileDialog.
static bool isDialog(const QObject *object)
{
    for (const QMetaObject *m = object->metaObject(); m; m = m->superClass()) {
        const QByteArray name(m->className());
        if (name == "QQuickDialog" || name == "QQuickAbstractDialog")
            return true;
    }
    return false;
}

// Every object under `root` once: the visual tree (Repeater delegates have no QObject parent to
// be found by) and the QObject tree, which overlap; walking both without a visited set
// revisits each subtree at every level.
template<typename Visit> static void walkOnce(QObject *root, Visit visit)
{
    QSet<QObject *> seen;
    QList<QObject *> pending {root};
    while (!pending.isEmpty()) {
        QObject *object = pending.takeLast();
        if (!object || seen.contains(object))
            continue;
        seen.insert(object);
        if (visit(object))
            return;
        // Depth first, visual children before QObject children, each in order.
        const QObjectList children = object->children();
        pending.append(QObjectList(children.crbegin(), children.crend()));
        if (auto *item = qobject_cast<QQuickItem *>(object)) {
            const QList<QQuickItem *> items = item->childItems();
            pending.append(QObjectList(items.crbegin(), items.crend()));
        }
    }
}

static void collectDialogs(QObject *root, QList<QObject *> &out)
{
    walkOnce(root, [&out](QObject *object) {
        if (isDialog(object))
            out << object;
        return false;
    });
}

static QObject *findNamed(QObject *root, const QString &name)
{
    QObject *found = nullptr;
    walkOnce(root, [&](QObject *object) {
        if (object->objectName() == name)
            found = object;
        return found != nullptr;
    });
    return found;
}

QObject *TestUiSmoke::find(const char *name) const
{
    return findNamed(m_window->contentItem(), QLatin1String(name));
}

void TestUiSmoke::initTestCase()
{
    g_previous = qInstallMessageHandler(collectWarnings);
    QQuickStyle::setStyle(QStringLiteral("Fusion"));
    m_relay = Testing::startRelay();
    const QUrl url = Testing::relayUrl(*m_relay);

    m_context = std::make_unique<ConsoleContext>(m_dir.filePath(QStringLiteral("settings.ini")));
    ConsoleContext::setInstance(m_context.get());
    m_context->setRelayNote(QStringLiteral("test relay"));
    m_context->relay()->connectTo(url);

    m_device = std::make_unique<Testing::DeviceFeeder>(
        // Standing still: the mouse tests point at the device's dot, and on a slow machine (ASan)
        // a circling dot had moved away between finding it and hovering it.
        Testing::DeviceFeeder::Config {url, 1, 1, 20.0, 0x7e57, 0.5, 0.0});
    m_device->start();

    m_engine = std::make_unique<QQmlApplicationEngine>();
    QVERIFY(ConsoleContext::loadMainWindow(*m_engine));
    m_window = qobject_cast<QQuickWindow *>(m_engine->rootObjects().first());
    QVERIFY(m_window);
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
}

void TestUiSmoke::cleanupTestCase()
{
    m_engine.reset();
    m_device.reset();
    m_context.reset();
    m_relay.reset();
    qInstallMessageHandler(g_previous);
    QVERIFY2(g_warnings.isEmpty(), qPrintable(g_warnings.join(QLatin1Char('\n'))));
}

void TestUiSmoke::loadsWithoutWarnings()
{
    QTRY_COMPARE(m_context->relay()->state(), RelayClient::Subscribed);
    QTRY_COMPARE(m_context->store()->count(), 1);
    QTRY_VERIFY(find("connectionState")->property("text").toString() == QStringLiteral("Connected"));
    QVERIFY2(g_warnings.isEmpty(), qPrintable(g_warnings.join(QLatin1Char('\n'))));
}

void TestUiSmoke::walksEveryView()
{
    const QVariantList views = m_window->property("views").toList();
    QVERIFY(views.size() >= 4);
    for (const QVariant &view : views) {
        const QString key = view.toMap().value(QStringLiteral("key")).toString();
        QObject *entry = findNamed(m_window->contentItem(), QStringLiteral("nav_") + key);
        QVERIFY2(entry, qPrintable(key));
        QVERIFY(QMetaObject::invokeMethod(entry, "clicked"));
        QCOMPARE(m_window->property("currentView").toString(), key);
        const QString viewName
            = key == QLatin1String("devices") ? QStringLiteral("devicesView") : key + QStringLiteral("View");
        auto *item = qobject_cast<QQuickItem *>(findNamed(m_window->contentItem(), viewName));
        QVERIFY2(item, qPrintable(viewName));
        QTRY_VERIFY2(item->isVisible() && item->width() > 100 && item->height() > 100, qPrintable(viewName));
        QTest::qWait(150); // a few refresh ticks on each view
    }
    // Each view shows the device.
    QVERIFY(QMetaObject::invokeMethod(find("nav_devices"), "clicked"));
    QTRY_COMPARE(find("deviceTable")->property("rows").toInt(), 1);
    m_context->store()->setCurrentId(m_device->idText(0));
    QVERIFY(QMetaObject::invokeMethod(find("nav_detail"), "clicked"));
    QTRY_VERIFY(find("rawFrame")->property("text").toString().startsWith(QStringLiteral("7e57")));
    QTRY_VERIFY(find("accelPlot_plot")->property("sampleCount").toInt() > 3);
    QVERIFY(QMetaObject::invokeMethod(find("nav_field"), "clicked"));
    QTRY_COMPARE(find("deviceField")->property("visibleCount").toInt(), 1);
    QVERIFY2(g_warnings.isEmpty(), qPrintable(g_warnings.join(QLatin1Char('\n'))));
}

void TestUiSmoke::sendsCommandToTestDevice()
{
    m_context->store()->selectOnly(m_device->idText(0));
    QObject *vibrate = find("sendVibrateButton");
    QVERIFY(vibrate);
    QTRY_VERIFY(vibrate->property("enabled").toBool());
    QVERIFY(QMetaObject::invokeMethod(vibrate, "clicked"));
    QTRY_VERIFY(m_device->received().contains(QStringLiteral("vibrate:300")));
    QTRY_VERIFY(find("lastSummary")->property("text").toString().contains(QStringLiteral("delivered")));

    QObject *led = find("sendLedButton");
    QVERIFY(QMetaObject::invokeMethod(led, "clicked"));
    QTRY_VERIFY(m_device->received().contains(QStringLiteral("led:ff0000")));
    QTRY_COMPARE(m_context->store()->deviceInfo(m_device->idText(0)).value(QStringLiteral("led")).toString(),
                 QStringLiteral("#ff0000"));
    QVERIFY(QMetaObject::invokeMethod(find("nav_log"), "clicked"));
    QTRY_VERIFY(find("logList")->property("count").toInt() >= 3);
    QVERIFY2(g_warnings.isEmpty(), qPrintable(g_warnings.join(QLatin1Char('\n'))));
}

void TestUiSmoke::themeAndShortcutsWork()
{
    QObject *theme = find("themeButton");
    const QString before = theme->property("text").toString();
    QVERIFY(QMetaObject::invokeMethod(theme, "clicked"));
    QTRY_VERIFY(theme->property("text").toString() != before);
    QTest::keyClick(m_window, Qt::Key_2, Qt::ControlModifier);
    QTRY_COMPARE(m_window->property("currentView").toString(), QStringLiteral("devices"));
    m_context->store()->clearSelection();
    QTest::keyClick(m_window, Qt::Key_A, Qt::ControlModifier);
    QTRY_COMPARE(m_context->store()->selectedCount(), 1);
    QTest::keyClick(m_window, Qt::Key_Escape);
    QTRY_COMPARE(m_context->store()->selectedCount(), 0);
    QVERIFY(QMetaObject::invokeMethod(theme, "clicked"));
    QTest::qWait(100);
    QVERIFY2(g_warnings.isEmpty(), qPrintable(g_warnings.join(QLatin1Char('\n'))));
}

void TestUiSmoke::fieldSelectsWithMouse()
{
    QVERIFY(QMetaObject::invokeMethod(find("nav_field"), "clicked"));
    auto *field = qobject_cast<QQuickItem *>(find("deviceField"));
    QVERIFY(field);
    const QString id = m_device->idText(0);
    QPointF dot;
    QVERIFY(
        QMetaObject::invokeMethod(field, "itemPositionOf", Q_RETURN_ARG(QPointF, dot), Q_ARG(QString, id)));
    QVERIFY(dot.x() >= 0);
    m_context->store()->clearSelection();
    const QPoint at = field->mapToScene(dot).toPoint();
    QTest::mouseClick(m_window, Qt::LeftButton, {}, at);
    QTRY_COMPARE(m_context->store()->selectedIds(), QStringList {id});
    QCOMPARE(m_context->store()->currentId(), id);
    // Hovering shows the device's values; one device in view gets its id label.
    QTest::mouseMove(m_window, at + QPoint(1, 0));
    QTRY_COMPARE(field->property("hoveredId").toString(), id);
    QTRY_VERIFY(find("hoverCard")->property("visible").toBool());
    auto *labels = field->property("labels").value<QAbstractItemModel *>();
    QVERIFY(labels);
    QTRY_COMPARE(labels->rowCount(), 1);
    QCOMPARE(labels->index(0, 0).data().toString(), id);
    // Click on empty floor clears; a rubber band around the dot selects it again.
    const QPoint empty = field->mapToScene(QPointF(field->width() - 5, field->height() - 5)).toPoint();
    QTest::mouseClick(m_window, Qt::LeftButton, {}, empty);
    QTRY_COMPARE(m_context->store()->selectedCount(), 0);
    QTest::mousePress(m_window, Qt::LeftButton, {}, at - QPoint(40, 40));
    QTest::mouseMove(m_window, at, 20);
    QTest::mouseMove(m_window, at + QPoint(40, 40), 20);
    QTest::mouseRelease(m_window, Qt::LeftButton, {}, at + QPoint(40, 40), 20);
    QTRY_COMPARE(m_context->store()->selectedIds(), QStringList {id});
    QVERIFY2(g_warnings.isEmpty(), qPrintable(g_warnings.join(QLatin1Char('\n'))));
}

// Every dialog of every view opens without a QML error (the file dialogs load their Qt Quick
// implementation, and with it Qt.labs.folderlistmodel, only now), and Ctrl+O / Ctrl+E open the
// session file dialogs from any view.
void TestUiSmoke::opensEveryDialog()
{
    QList<QObject *> dialogs;
    collectDialogs(m_window, dialogs);
    QStringList names;
    for (QObject *dialog : std::as_const(dialogs))
        names << dialog->objectName();
    for (const char *expected : {"replayOpenDialog", "replayExportDialog", "otaDialog"})
        QVERIFY2(names.contains(QLatin1String(expected)), qPrintable(names.join(u", ")));
    for (QObject *dialog : std::as_const(dialogs)) {
        QVERIFY(QMetaObject::invokeMethod(dialog, "open"));
        QTRY_VERIFY2(dialog->property("visible").toBool(), qPrintable(dialog->objectName()));
        QTest::qWait(200); // the non-native file dialog builds its view (and folder model) now
        QVERIFY(QMetaObject::invokeMethod(dialog, "close"));
        QTRY_VERIFY2(!dialog->property("visible").toBool(), qPrintable(dialog->objectName()));
        QVERIFY2(g_warnings.isEmpty(), qPrintable(dialog->objectName() + u": " + g_warnings.join(u'\n')));
    }

    QObject *openDialog = find("replayOpenDialog");
    QVERIFY(QMetaObject::invokeMethod(find("nav_field"), "clicked"));
    QTest::keyClick(m_window, Qt::Key_O, Qt::ControlModifier);
    QTRY_COMPARE(m_window->property("currentView").toString(), QStringLiteral("sessions"));
    QTRY_VERIFY(openDialog->property("visible").toBool());
    QVERIFY(QMetaObject::invokeMethod(openDialog, "close"));
    QTRY_VERIFY(!openDialog->property("visible").toBool());

    // Ctrl+E exports the loaded session.
    QFile session(m_dir.filePath(QStringLiteral("dialogs.session")));
    QVERIFY(session.open(QIODevice::WriteOnly));
    session.write("{\"devices\":1,\"format\":\"grouploop-session\",\"offset_ms\":0,\"part\":1,"
                  "\"relay\":\"ws://127.0.0.1:5003\",\"source\":\"test\","
                  "\"started\":\"2026-11-21T17:30:00.000Z\",\"version\":1}\n"
                  "0 f a1b28080bfc8a0006400\n100 f a1b28080bfc8a0006400\n");
    session.close();
    SessionPlayer *player = m_context->player();
    QVERIFY2(player->open(session.fileName()), qPrintable(player->error()));
    QTRY_VERIFY(player->isLoaded()); // indexed in the player's thread; Ctrl+E waits for it
    QObject *exportDialog = find("replayExportDialog");
    QVERIFY(QMetaObject::invokeMethod(find("nav_log"), "clicked"));
    QTest::keyClick(m_window, Qt::Key_E, Qt::ControlModifier);
    QTRY_COMPARE(m_window->property("currentView").toString(), QStringLiteral("sessions"));
    QTRY_VERIFY(exportDialog->property("visible").toBool());
    QVERIFY(exportDialog->property("selectedFile").toUrl().toLocalFile().endsWith(QStringLiteral(".csv")));
    QVERIFY(QMetaObject::invokeMethod(exportDialog, "close"));
    QTRY_VERIFY(!exportDialog->property("visible").toBool());
    player->close();
    QVERIFY2(g_warnings.isEmpty(), qPrintable(g_warnings.join(QLatin1Char('\n'))));
}

void TestUiSmoke::remembersWindowState()
{
    m_window->resize(1234, 777);
    QMetaObject::invokeMethod(m_window, "showView", Q_ARG(QVariant, QStringLiteral("log")));
    m_window->close();
    QSettings settings(m_dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    QCOMPARE(settings.value(QStringLiteral("window/width")).toInt(), 1234);
    QCOMPARE(settings.value(QStringLiteral("window/height")).toInt(), 777);
    QCOMPARE(settings.value(QStringLiteral("ui/view")).toString(), QStringLiteral("log"));
}

QTEST_MAIN(TestUiSmoke)
#include "tst_uismoke.moc"
