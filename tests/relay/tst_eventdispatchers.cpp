// What every event dispatcher of the main thread must do, after the behaviours Qt's own
// dispatcher tests check: timers of each type fire and can be listed and removed, zero timers
// fire on every pass without starving anything, posted events are sent by every kind of pass
// (and those posted during a pass wait for the next), another thread's post or wakeUp() ends a
// blocking wait, interrupt() ends it too, nested loops run and exit, socket notifiers fire, and
// ExcludeSocketNotifiers / ExcludeUserInputEvents leave out what they name and lose nothing.
// Registered twice: on the relay's epoll dispatcher (createEventDispatcher()) and with
// GROUPLOOP_DISPATCHER=qt on Qt's own, so the two are held to the same behaviour.
#include "eventdispatcher.h"
#ifdef GROUPLOOP_HAVE_EPOLL
#include "epolleventdispatcher.h"
#endif

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QScopeGuard>
#include <QSocketNotifier>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <sys/socket.h>
#include <unistd.h>

namespace {

constexpr int Patience = 20000; // ms: generous, for a loaded machine; passing tests take far less

// Counts the events it receives, by type; remembers the timer ids in order.
class Receiver : public QObject
{
public:
    QList<int> timerIds;
    int userEvents = 0;
    int others = 0;
    bool repostOnce = false;

protected:
    bool event(QEvent *e) override
    {
        if (e->type() == QEvent::Timer) {
            timerIds.append(static_cast<QTimerEvent *>(e)->timerId());
            return true;
        }
        if (e->type() == QEvent::User) {
            ++userEvents;
            if (std::exchange(repostOnce, false))
                QCoreApplication::postEvent(this, new QEvent(QEvent::User));
            return true;
        }
        ++others;
        return QObject::event(e);
    }
};

QAbstractEventDispatcher *dispatcher()
{
    return QAbstractEventDispatcher::instance();
}

struct SocketPair
{
    int fds[2] = {-1, -1};
    SocketPair() { ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds); }
    ~SocketPair()
    {
        ::close(fds[0]);
        ::close(fds[1]);
    }
    bool send() { return ::write(fds[1], "x", 1) == 1; }
    void drain()
    {
        char buffer[64];
        while (::read(fds[0], buffer, sizeof buffer) > 0) { }
    }
};

// A socket pair whose read end has a notifier that drains it and counts its activations.
struct NotifiedPair : SocketPair
{
    QSocketNotifier notifier {qintptr(fds[0]), QSocketNotifier::Read};
    int activations = 0;
    NotifiedPair()
    {
        QObject::connect(&notifier, &QSocketNotifier::activated, &notifier, [this] {
            ++activations;
            drain();
        });
    }
};

// Runs passes with `flags` (never waiting) for a while, or until `until` holds.
template<typename F> void passes(QEventLoop::ProcessEventsFlags flags, int count, F until)
{
    for (int i = 0; i < count && !until(); ++i) {
        dispatcher()->processEvents(flags);
        QThread::msleep(1);
    }
}

} // namespace

class TestEventDispatchers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void isTheDispatcherAskedFor();
    void timersOfEveryType();
    void zeroTimersFireEveryPassAndStarveNothing();
    void postedEventsAreSentByEveryPass_data();
    void postedEventsAreSentByEveryPass();
    void eventsPostedDuringAPassWaitForTheNext();
    void postFromAnotherThreadEndsTheWait();
    void wakeUpEndsTheWait();
    void interruptEndsTheWait();
    void nestedLoopsRunAndExit();
    void socketNotifiers();
    void excludeSocketNotifiersLosesNothing();
    void excludeUserInputEventsKeepsTheRest();
};

void TestEventDispatchers::init()
{
    // What an earlier test left behind goes now, not into this one.
    QElapsedTimer clock;
    clock.start();
    while (!clock.hasExpired(200) && dispatcher()->processEvents(QEventLoop::AllEvents)) { }
}

void TestEventDispatchers::isTheDispatcherAskedFor()
{
    const QByteArray name = dispatcher()->metaObject()->className();
    qInfo("dispatcher: %s", name.constData());
#ifdef GROUPLOOP_HAVE_EPOLL
    const bool qt = qEnvironmentVariable("GROUPLOOP_DISPATCHER") == u"qt";
    QCOMPARE(qobject_cast<GroupLoop::EpollEventDispatcher *>(dispatcher()) != nullptr, !qt);
#else
    QSKIP("no epoll here: Qt's dispatcher only");
#endif
}

void TestEventDispatchers::timersOfEveryType()
{
    Receiver receiver;
    // Timers registered with the dispatcher directly outlive their object: remove them however
    // the test ends.
    const auto unregister = qScopeGuard([&] { dispatcher()->unregisterTimers(&receiver); });
    // Far apart, so a loaded machine cannot reorder them.
    const int precise = dispatcher()->registerTimer(10, Qt::PreciseTimer, &receiver);
    const int coarse = dispatcher()->registerTimer(1500, Qt::CoarseTimer, &receiver);
    const int veryCoarse = dispatcher()->registerTimer(60000, Qt::VeryCoarseTimer, &receiver);
    QVERIFY(precise > 0 && coarse > 0 && veryCoarse > 0);

    const QList<QAbstractEventDispatcher::TimerInfo> timers = dispatcher()->registeredTimers(&receiver);
    QCOMPARE(timers.size(), 3);
    for (const QAbstractEventDispatcher::TimerInfo &timer : timers) {
        if (timer.timerId == precise)
            QVERIFY(timer.interval == 10 && timer.timerType == Qt::PreciseTimer);
        else if (timer.timerId == coarse)
            QVERIFY(timer.interval == 1500 && timer.timerType == Qt::CoarseTimer);
        else
            QVERIFY(timer.timerId == veryCoarse && timer.interval == 60000);
    }
    const int left = dispatcher()->remainingTime(coarse); // coarse: up to 5 % late
    QVERIFY2(left > 0 && left <= 1500 * 11 / 10, qPrintable(QString::number(left)));

    QTRY_VERIFY_WITH_TIMEOUT(!receiver.timerIds.isEmpty(), Patience);
    QCOMPARE(receiver.timerIds.constFirst(), precise);
    QVERIFY(dispatcher()->unregisterTimer(precise));
    QCOMPARE(dispatcher()->registeredTimers(&receiver).size(), 2);
    QCOMPARE(dispatcher()->remainingTime(precise), -1);

    receiver.timerIds.clear();
    QTRY_VERIFY_WITH_TIMEOUT(!receiver.timerIds.isEmpty(), Patience);
    QCOMPARE(receiver.timerIds.constFirst(), coarse); // the precise one is gone
    QVERIFY(dispatcher()->unregisterTimers(&receiver));
    QVERIFY(dispatcher()->registeredTimers(&receiver).isEmpty());
    receiver.timerIds.clear();
    QTest::qWait(100);
    QVERIFY(receiver.timerIds.isEmpty());
}

void TestEventDispatchers::zeroTimersFireEveryPassAndStarveNothing()
{
    Receiver receiver;
    const int zero = dispatcher()->registerTimer(0, Qt::CoarseTimer, &receiver);
    const auto unregister = qScopeGuard([&] { dispatcher()->unregisterTimers(&receiver); });
    // Only a zero timer: a pass that does not wait still has something to do.
    QVERIFY(dispatcher()->processEvents(QEventLoop::AllEvents));
    QVERIFY(receiver.timerIds.contains(zero));

    receiver.timerIds.clear();
    bool singleShot = false;
    QTimer::singleShot(50, &receiver, [&] { singleShot = true; });
    QCoreApplication::postEvent(&receiver, new QEvent(QEvent::User));
    // The zero timer fires again and again, yet the posted event and the 50 ms timer get through.
    QTRY_VERIFY_WITH_TIMEOUT(singleShot && receiver.userEvents == 1 && receiver.timerIds.size() >= 10,
                             Patience);
}

void TestEventDispatchers::postedEventsAreSentByEveryPass_data()
{
    QTest::addColumn<int>("flags");
    QTest::newRow("AllEvents") << int(QEventLoop::AllEvents);
    QTest::newRow("WaitForMoreEvents") << int(QEventLoop::WaitForMoreEvents);
    QTest::newRow("ExcludeSocketNotifiers") << int(QEventLoop::ExcludeSocketNotifiers);
    QTest::newRow("ExcludeSocketNotifiers|WaitForMoreEvents")
        << int(QEventLoop::ExcludeSocketNotifiers | QEventLoop::WaitForMoreEvents);
    QTest::newRow("ExcludeUserInputEvents") << int(QEventLoop::ExcludeUserInputEvents);
}

void TestEventDispatchers::postedEventsAreSentByEveryPass()
{
    QFETCH(int, flags);
    Receiver receiver;
    for (int i = 1; i <= 50; ++i) {
        QCoreApplication::postEvent(&receiver, new QEvent(QEvent::User));
        QCOMPARE(receiver.userEvents, i - 1); // posting sends nothing
        // A pending posted event: even a pass that may wait sends it and returns.
        dispatcher()->processEvents(QEventLoop::ProcessEventsFlags(flags));
        QCOMPARE(receiver.userEvents, i);
    }
}

void TestEventDispatchers::eventsPostedDuringAPassWaitForTheNext()
{
    Receiver receiver;
    receiver.repostOnce = true;
    QCoreApplication::postEvent(&receiver, new QEvent(QEvent::User));
    dispatcher()->processEvents(QEventLoop::AllEvents);
    QCOMPARE(receiver.userEvents, 1);
    dispatcher()->processEvents(QEventLoop::AllEvents);
    QCOMPARE(receiver.userEvents, 2);

    // The same for an event posted by a zero timer.
    QTimer::singleShot(0, &receiver,
                       [&] { QCoreApplication::postEvent(&receiver, new QEvent(QEvent::User)); });
    passes(QEventLoop::AllEvents, 1000, [&] { return receiver.userEvents == 3; });
    QCOMPARE(receiver.userEvents, 3);
}

void TestEventDispatchers::postFromAnotherThreadEndsTheWait()
{
    // Posts one event at a time from another thread; each must end a blocking pass.
    struct Counter : QObject
    {
        std::atomic<int> received {0};
        bool event(QEvent *e) override
        {
            if (e->type() != QEvent::User)
                return QObject::event(e);
            ++received;
            return true;
        }
    } counter;
    QTimer guard; // a stuck wait ends after this, and the count fails
    guard.start(Patience);
    constexpr int Posts = 100;
    std::unique_ptr<QThread> poster(QThread::create([&] {
        QElapsedTimer clock;
        clock.start();
        for (int i = 0; i < Posts && !clock.hasExpired(Patience); ++i) {
            while (counter.received.load() < i && !clock.hasExpired(Patience))
                QThread::usleep(100);
            QCoreApplication::postEvent(&counter, new QEvent(QEvent::User));
        }
    }));
    poster->start();
    QElapsedTimer clock;
    clock.start();
    while (counter.received.load() < Posts && !clock.hasExpired(Patience))
        dispatcher()->processEvents(QEventLoop::WaitForMoreEvents);
    QCOMPARE(counter.received.load(), Posts);
    poster->wait();
}

namespace {
// Another thread calls `call` on the main thread's dispatcher while it waits with nothing to do.
void anotherThreadEndsTheWait(void (QAbstractEventDispatcher::*call)())
{
    QTimer guard; // a stuck wait ends after this, too late for the check below
    guard.start(Patience);
    std::unique_ptr<QThread> other(QThread::create([call] {
        QThread::msleep(100);
        (QAbstractEventDispatcher::instance(qApp->thread())->*call)();
    }));
    QElapsedTimer clock;
    clock.start();
    other->start();
    dispatcher()->processEvents(QEventLoop::WaitForMoreEvents);
    QVERIFY2(clock.elapsed() < Patience, qPrintable(QString::number(clock.elapsed())));
    other->wait();
}
} // namespace

void TestEventDispatchers::wakeUpEndsTheWait()
{
    anotherThreadEndsTheWait(&QAbstractEventDispatcher::wakeUp);
}

void TestEventDispatchers::interruptEndsTheWait()
{
    anotherThreadEndsTheWait(&QAbstractEventDispatcher::interrupt);

    // And a loop told to quit from a timer quits (QEventLoop::exit() interrupts the dispatcher).
    QEventLoop loop;
    QTimer::singleShot(10, &loop, [&] { loop.exit(7); });
    QCOMPARE(loop.exec(), 7);
}

void TestEventDispatchers::nestedLoopsRunAndExit()
{
    QEventLoop outer;
    int innerResult = -1;
    // A posted call runs a nested loop that handles posted calls and timers and exits; the outer
    // loop carries on and quits from a call posted after the inner one returned.
    QMetaObject::invokeMethod(
        &outer,
        [&] {
            QEventLoop inner;
            QMetaObject::invokeMethod(
                &inner, [&] { QTimer::singleShot(20, &inner, [&] { inner.exit(3); }); },
                Qt::QueuedConnection);
            innerResult = inner.exec();
            QMetaObject::invokeMethod(
                &outer, [&] { outer.exit(0); }, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
    QTimer::singleShot(Patience, &outer, [&] { outer.exit(2); }); // stuck
    QCOMPARE(outer.exec(), 0);
    QCOMPARE(innerResult, 3);

    // Two levels of processEvents() inside exec(): a quit posted from the innermost still ends
    // the outermost on its next pass.
    QEventLoop main;
    QMetaObject::invokeMethod(
        &main,
        [&] {
            QMetaObject::invokeMethod(
                &main, [&] { QMetaObject::invokeMethod(&main, &QEventLoop::quit, Qt::QueuedConnection); },
                Qt::QueuedConnection);
            main.processEvents();
        },
        Qt::QueuedConnection);
    QTimer::singleShot(Patience, &main, [&] { main.exit(2); });
    QCOMPARE(main.exec(), 0);
}

void TestEventDispatchers::socketNotifiers()
{
    NotifiedPair pair;
    int &activations = pair.activations;
    passes(QEventLoop::AllEvents, 20, [] { return false; });
    QCOMPARE(activations, 0); // nothing to read: no activation
    QVERIFY(pair.send());
    QTRY_COMPARE_WITH_TIMEOUT(activations, 1, Patience);
    QVERIFY(pair.send());
    QTRY_COMPARE_WITH_TIMEOUT(activations, 2, Patience);
    pair.notifier.setEnabled(false);
    QVERIFY(pair.send());
    passes(QEventLoop::AllEvents, 50, [] { return false; });
    QCOMPARE(activations, 2); // disabled: not told
    pair.notifier.setEnabled(true);
    QTRY_COMPARE_WITH_TIMEOUT(activations, 3, Patience); // still there when enabled again
}

#ifdef GROUPLOOP_HAVE_EPOLL
namespace {
struct Handler : GroupLoop::EpollEventDispatcher::DescriptorHandler
{
    int reports = 0;
    SocketPair *pair = nullptr;
    void descriptorReady(int, bool readable, bool) override
    {
        if (readable) {
            ++reports;
            pair->drain();
        }
    }
};
} // namespace
#endif

void TestEventDispatchers::excludeSocketNotifiersLosesNothing()
{
    NotifiedPair pair;
    int &activations = pair.activations;
    Receiver receiver;
    QVERIFY(pair.send());
    QCoreApplication::postEvent(&receiver, new QEvent(QEvent::User));
    bool timer = false;
    QTimer::singleShot(0, &receiver, [&] { timer = true; });
    // Passes that exclude sockets run posted events and timers, but not the notifier.
    passes(QEventLoop::ExcludeSocketNotifiers, 200, [&] { return timer && receiver.userEvents == 1; });
    QVERIFY(timer);
    QCOMPARE(receiver.userEvents, 1);
    passes(QEventLoop::ExcludeSocketNotifiers, 20, [] { return false; });
    if (QByteArrayView(dispatcher()->metaObject()->className()).contains("Glib"))
        QEXPECT_FAIL("", "Qt's glib dispatcher activates socket notifiers even when told not to", Continue);
    QCOMPARE(activations, 0);
    // The next pass that takes sockets reports what became ready meanwhile.
    passes(QEventLoop::AllEvents, 1000, [&] { return activations == 1; });
    QCOMPARE(activations, 1);

#ifdef GROUPLOOP_HAVE_EPOLL
    // The relay's edge-triggered watches: one report per arrival. A pass that excludes sockets
    // must leave the edge for a later pass, not take it and drop it.
    auto *epoll = qobject_cast<GroupLoop::EpollEventDispatcher *>(dispatcher());
    if (!epoll)
        return; // Qt's dispatcher has no descriptor watches
    SocketPair watched;
    Handler handler;
    handler.pair = &watched;
    epoll->watchDescriptor(watched.fds[0], &handler, true, false);
    passes(QEventLoop::AllEvents, 20, [] { return false; });
    QCOMPARE(handler.reports, 0);
    QVERIFY(watched.send());
    passes(QEventLoop::ExcludeSocketNotifiers, 50, [] { return false; });
    QCOMPARE(handler.reports, 0);
    // Also a pass that waits: it ends on a posted event, not on the ready socket it excludes.
    QTimer guard; // should the wait miss its wake-up, it still ends (and the test goes on)
    guard.start(Patience);
    QCoreApplication::postEvent(&receiver, new QEvent(QEvent::User));
    dispatcher()->processEvents(QEventLoop::ExcludeSocketNotifiers | QEventLoop::WaitForMoreEvents);
    QCOMPARE(handler.reports, 0);
    passes(QEventLoop::AllEvents, 1000, [&] { return handler.reports == 1; });
    QCOMPARE(handler.reports, 1);
    epoll->unwatchDescriptor(watched.fds[0]);
#endif
}

void TestEventDispatchers::excludeUserInputEventsKeepsTheRest()
{
    NotifiedPair pair;
    int &activations = pair.activations;
    Receiver receiver;
    bool timer = false;
    QTimer::singleShot(10, &receiver, [&] { timer = true; });
    QCoreApplication::postEvent(&receiver, new QEvent(QEvent::User));
    QVERIFY(pair.send());
    // No user input here (no GUI): sockets, timers and posted events all still run.
    passes(QEventLoop::ExcludeUserInputEvents, 5000,
           [&] { return timer && activations == 1 && receiver.userEvents == 1; });
    QVERIFY(timer);
    QCOMPARE(activations, 1);
    QCOMPARE(receiver.userEvents, 1);
}

int main(int argc, char **argv)
{
    // Before the application object, as grouploop-relay does; nullptr keeps Qt's.
    if (QAbstractEventDispatcher *epoll = GroupLoop::createEventDispatcher())
        QCoreApplication::setEventDispatcher(epoll);
    QCoreApplication app(argc, argv);
    TestEventDispatchers test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_eventdispatchers.moc"
