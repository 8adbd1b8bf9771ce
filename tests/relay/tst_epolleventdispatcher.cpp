// EpollEventDispatcher driving a worker thread: timers keep their rate and can be killed,
// events posted from another thread wake it at once, socket notifiers fire and can be
// removed from inside their own handler, and quitting works.
#include "epolleventdispatcher.h"

#include <QElapsedTimer>
#include <QSocketNotifier>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <sys/socket.h>
#include <unistd.h>

using namespace GroupLoop;

namespace {

// A thread running its event loop on the epoll dispatcher.
struct EpollThread
{
    QThread thread;
    QObject *context = new QObject;

    EpollThread()
    {
        thread.setEventDispatcher(new EpollEventDispatcher);
        context->moveToThread(&thread);
        QObject::connect(&thread, &QThread::finished, context, &QObject::deleteLater);
        thread.start();
    }
    ~EpollThread()
    {
        thread.quit();
        thread.wait();
    }
    template<typename F> void run(F &&f)
    {
        QMetaObject::invokeMethod(context, std::forward<F>(f), Qt::QueuedConnection);
    }
};

} // namespace

class TestEpollEventDispatcher : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void isInstalled();
    void preciseTimerKeepsItsRate();
    void timersCanBeKilledAndListed();
    void postedEventsWakeItAtOnce();
    void socketNotifiers();
};

void TestEpollEventDispatcher::isInstalled()
{
    EpollThread t;
    std::atomic<bool> epoll {false};
    t.run([&] {
        epoll = qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance()) != nullptr;
    });
    QTRY_VERIFY(epoll.load());
}

void TestEpollEventDispatcher::preciseTimerKeepsItsRate()
{
    EpollThread t;
    std::atomic<int> fired {0};
    t.run([&] {
        auto *timer = new QTimer(t.context);
        timer->setTimerType(Qt::PreciseTimer);
        timer->setInterval(20);
        QObject::connect(timer, &QTimer::timeout, timer, [&] { ++fired; });
        timer->start();
    });
    QTest::qWait(1000);
    // 50 expected; a loaded machine may drop a few, but a broken rearm would give 1 or 1000s.
    QVERIFY2(fired.load() >= 35 && fired.load() <= 55, qPrintable(QString::number(fired.load())));
}

void TestEpollEventDispatcher::timersCanBeKilledAndListed()
{
    EpollThread t;
    std::atomic<int> singleShots {0}, stoppedFires {0};
    std::atomic<bool> listed {false}, remaining {false};
    t.run([&] {
        QTimer::singleShot(10, t.context, [&] { ++singleShots; });
        auto *timer = new QTimer(t.context);
        timer->setInterval(30);
        QObject::connect(timer, &QTimer::timeout, timer, [&, timer] {
            ++stoppedFires;
            timer->stop(); // killed from inside its own event
        });
        timer->start();
        const auto timers = QAbstractEventDispatcher::instance()->registeredTimers(timer);
        listed = timers.size() == 1 && timers.constFirst().interval == 30;
        const int left = QAbstractEventDispatcher::instance()->remainingTime(timer->timerId());
        remaining = left >= 0 && left <= 30;
    });
    QTest::qWait(300);
    QCOMPARE(singleShots.load(), 1);
    QCOMPARE(stoppedFires.load(), 1);
    QVERIFY(listed.load());
    QVERIFY(remaining.load());
}

void TestEpollEventDispatcher::postedEventsWakeItAtOnce()
{
    EpollThread t;
    std::atomic<bool> armed {false};
    t.run([&] {
        QTimer::singleShot(60000, t.context, [] {}); // the loop would otherwise sleep a minute
        armed = true;
    });
    QTRY_VERIFY(armed.load());
    QTest::qWait(50); // let it block in epoll_wait
    QElapsedTimer clock;
    clock.start();
    std::atomic<qint64> latency {-1};
    t.run([&] { latency = clock.elapsed(); });
    QTRY_VERIFY(latency.load() >= 0);
    QVERIFY2(latency.load() < 200, qPrintable(QString::number(latency.load())));
}

void TestEpollEventDispatcher::socketNotifiers()
{
    int fds[2];
    QVERIFY(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    EpollThread t;
    std::atomic<int> reads {0};
    t.run([&] {
        auto *notifier = new QSocketNotifier(fds[0], QSocketNotifier::Read, t.context);
        QObject::connect(notifier, &QSocketNotifier::activated, notifier, [&, notifier] {
            char buffer[16];
            if (::read(fds[0], buffer, sizeof buffer) > 0 && ++reads == 2)
                delete notifier; // removed from inside its own activation
        });
    });
    QTest::qWait(50);
    QCOMPARE(reads.load(), 0); // nothing to read yet: no spurious activation
    QVERIFY(::write(fds[1], "a", 1) == 1);
    QTRY_COMPARE(reads.load(), 1);
    QVERIFY(::write(fds[1], "b", 1) == 1);
    QTRY_COMPARE(reads.load(), 2);
    QVERIFY(::write(fds[1], "c", 1) == 1); // no notifier any more: stays unread, nothing crashes
    QTest::qWait(100);
    QCOMPARE(reads.load(), 2);
    ::close(fds[0]);
    ::close(fds[1]);
}

QTEST_GUILESS_MAIN(TestEpollEventDispatcher)
#include "tst_epolleventdispatcher.moc"
