// EpollEventDispatcher driving a worker thread: timers keep their rate and can be killed,
// events posted from another thread wake it at once, socket notifiers fire and can be
// removed from inside their own handler, and quitting works. Descriptor handlers (the relay's
// path without QSocketNotifier) are told of new data once per arrival and again when they
// ask; the coalescing interval spaces busy passes but leaves an idle loop, or one under the
// busy threshold, answering at once. (tst_eventdispatchers holds what both dispatchers share.)
#include "epolleventdispatcher.h"
#include "eventdispatcher.h"

#include <QElapsedTimer>
#include <QSocketNotifier>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <memory>
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
    void factoryHonoursTheSwitch();
    void preciseTimerKeepsItsRate();
    void timersCanBeKilledAndListed();
    void postedEventsWakeItAtOnce();
    void socketNotifiers();
    void descriptorHandlers();
    void coalescingSpacesBusyPasses();
    void lightLoadIsNotCoalesced();
};

namespace {
// Reads at most `chunk` bytes per report; asks to be called again when it left some behind.
struct Reader : EpollEventDispatcher::DescriptorHandler
{
    int fd = -1;
    size_t chunk = 1;
    std::atomic<int> reports {0}, writableReports {0};
    std::atomic<qint64> firstReportMs {-1};
    QElapsedTimer *clock = nullptr;
    QByteArray received;
    std::atomic<int> receivedBytes {0};

    std::atomic<int> wrongDescriptor {0};

    void descriptorReady(int readyFd, bool readable, bool writable) override
    {
        if (readyFd != fd)
            ++wrongDescriptor;
        if (clock && firstReportMs.load() < 0)
            firstReportMs = clock->elapsed();
        if (writable)
            ++writableReports;
        if (!readable)
            return;
        ++reports;
        char buffer[64];
        const ssize_t n = ::recv(fd, buffer, std::min(chunk, sizeof buffer), MSG_DONTWAIT);
        if (n > 0) {
            received.append(buffer, n);
            receivedBytes += int(n);
            if (size_t(n) == chunk)
                EpollEventDispatcher::of(QThread::currentThread())->reportAgain(fd);
        }
    }
};
// A connected socket pair whose first end a Reader reads.
struct ReaderPair
{
    int fds[2] = {-1, -1};
    Reader reader;
    explicit ReaderPair(size_t chunk)
    {
        ::socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
        reader.fd = fds[0];
        reader.chunk = chunk;
    }
    ~ReaderPair()
    {
        ::close(fds[0]);
        ::close(fds[1]);
    }
    // `count` bytes, 5 ms apart; how long that took (longer on a loaded machine).
    qint64 writeSpaced(int count) const
    {
        QElapsedTimer writing;
        writing.start();
        for (int i = 0; i < count; ++i) {
            if (::write(fds[1], "y", 1) != 1)
                return -1;
            QThread::msleep(5);
        }
        return writing.elapsed();
    }
    // Watched by the thread's dispatcher with this coalescing interval and busy threshold.
    bool watchCoalesced(EpollThread &t, qint64 intervalUs, int busyThreshold)
    {
        std::atomic<bool> ready {false};
        t.run([&] {
            auto *epoll = EpollEventDispatcher::of(QThread::currentThread());
            epoll->setCoalescingInterval(intervalUs);
            if (busyThreshold >= 0)
                epoll->setBusyThreshold(busyThreshold);
            epoll->watchDescriptor(fds[0], &reader, true, false);
            ready = true;
        });
        return QTest::qWaitFor([&] { return ready.load(); });
    }
};
} // namespace

void TestEpollEventDispatcher::isInstalled()
{
    EpollThread t;
    std::atomic<bool> epoll {false};
    t.run([&] {
        epoll = qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance()) != nullptr;
    });
    QTRY_VERIFY(epoll.load());
}

void TestEpollEventDispatcher::factoryHonoursTheSwitch()
{
    qunsetenv("GROUPLOOP_DISPATCHER");
    std::unique_ptr<QAbstractEventDispatcher> dispatcher(createEventDispatcher());
    QVERIFY(qobject_cast<EpollEventDispatcher *>(dispatcher.get()));
    QCOMPARE(static_cast<EpollEventDispatcher *>(dispatcher.get())->busyThreshold(),
             BusyMeter::DefaultPerSecond);
    qputenv("GROUPLOOP_DISPATCHER", "qt");
    QCOMPARE(createEventDispatcher(), nullptr);
    qunsetenv("GROUPLOOP_DISPATCHER");
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

void TestEpollEventDispatcher::descriptorHandlers()
{
    ReaderPair pair(4);
    QVERIFY(pair.fds[1] >= 0);
    const int *fds = pair.fds;
    Reader &reader = pair.reader;
    {
        EpollThread t;
        t.run([&] {
            EpollEventDispatcher::of(QThread::currentThread())->watchDescriptor(fds[0], &reader, true, false);
        });
        QTest::qWait(50);
        QCOMPARE(reader.reports.load(), 0); // nothing to read: no report
        QVERIFY(::write(fds[1], "ab", 2) == 2);
        QTRY_COMPARE(reader.receivedBytes.load(), 2);
        QTest::qWait(50);
        QCOMPARE(reader.reports.load(), 1); // edge-triggered: one arrival, one report

        // Ten bytes, read four at a time: the handler asks again twice and gets everything,
        // although no new data arrives to trigger epoll.
        QVERIFY(::write(fds[1], "0123456789", 10) == 10);
        QTRY_COMPARE(reader.receivedBytes.load(), 12);
        QCOMPARE(reader.received, QByteArray("ab0123456789"));

        // Watching writes as well: a socket with room is reported writable.
        t.run([&] {
            EpollEventDispatcher::of(QThread::currentThread())->watchDescriptor(fds[0], &reader, true, true);
        });
        QTRY_VERIFY(reader.writableReports.load() >= 1);

        // Unwatched: data stays unread and nothing is reported.
        std::atomic<bool> unwatched {false};
        t.run([&] {
            EpollEventDispatcher::of(QThread::currentThread())->unwatchDescriptor(fds[0]);
            unwatched = true;
        });
        QTRY_VERIFY(unwatched.load());
        const int reports = reader.reports.load();
        QVERIFY(::write(fds[1], "z", 1) == 1);
        QTest::qWait(100);
        QCOMPARE(reader.reports.load(), reports);
        QCOMPARE(reader.receivedBytes.load(), 12);
        QCOMPARE(reader.wrongDescriptor.load(), 0);
    }
}

void TestEpollEventDispatcher::coalescingSpacesBusyPasses()
{
    constexpr qint64 IntervalMs = 300;
    ReaderPair pair(64);
    QVERIFY(pair.fds[1] >= 0);
    const int *fds = pair.fds;
    Reader &reader = pair.reader;
    QElapsedTimer clock;
    reader.clock = &clock;
    {
        EpollThread t;
        // Busy from the first report: 200 bytes a second is load here.
        QVERIFY(pair.watchCoalesced(t, IntervalMs * 1000, 0));
        QTest::qWait(50);

        // Idle: the first byte is read at once, not an interval later.
        clock.start();
        QVERIFY(::write(fds[1], "x", 1) == 1);
        QTRY_COMPARE(reader.receivedBytes.load(), 1);
        QVERIFY2(reader.firstReportMs.load() < IntervalMs / 2,
                 qPrintable(QString::number(reader.firstReportMs)));

        // Busy: a byte every 5 ms, 180 times (900 ms, longer on a loaded machine). Without
        // coalescing that is up to 180 passes; with it, at most one pass per interval of the
        // time the bytes took to come (plus the edges of the window).
        const int before = reader.reports.load();
        const qint64 writingMs = pair.writeSpaced(180);
        QVERIFY(writingMs >= 0);
        QTRY_COMPARE(reader.receivedBytes.load(), 181); // nothing is lost, only grouped
        const int passes = reader.reports.load() - before;
        QVERIFY2(passes >= 2 && passes <= writingMs / IntervalMs + 3,
                 qPrintable(QStringLiteral("%1 passes in %2 ms").arg(passes).arg(writingMs)));
    }
}

void TestEpollEventDispatcher::lightLoadIsNotCoalesced()
{
    constexpr qint64 IntervalMs = 300;
    ReaderPair pair(64);
    {
        EpollThread t;
        QVERIFY(pair.watchCoalesced(t, IntervalMs * 1000, -1)); // the default threshold
        // A byte every 5 ms is 200 reports a second, a tenth of the threshold: every byte gets
        // its own pass (a loaded machine may join a few), where coalescing would allow one
        // pass per 300 ms.
        const qint64 writingMs = pair.writeSpaced(180);
        QVERIFY(writingMs >= 0);
        QTRY_COMPARE(pair.reader.receivedBytes.load(), 180);
        const int passes = pair.reader.reports.load();
        QVERIFY2(passes > writingMs / IntervalMs + 30,
                 qPrintable(QStringLiteral("%1 passes in %2 ms").arg(passes).arg(writingMs)));
    }
}

QTEST_GUILESS_MAIN(TestEpollEventDispatcher)
#include "tst_epolleventdispatcher.moc"
