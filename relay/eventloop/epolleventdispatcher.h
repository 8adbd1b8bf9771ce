// EpollEventDispatcher: an event dispatcher built on Linux epoll, for the relay's thread and the
// swarm's worker thread. Qt's own dispatchers poll() every socket on every pass of the event
// loop, which costs O(sockets) per pass: with 2,000 idle device sockets that is most of a
// millisecond, fifty times a second. epoll reports only the sockets that are ready. Timers are
// kept in a small list (a relay or a worker has a handful, plus one per connection that is
// closing); posted events wake the loop through an eventfd.
//
// Two things Qt's dispatchers cannot do, for the relay's hot path:
// - watchDescriptor(): a descriptor reported straight to a handler, without the QSocketNotifier,
//   QEvent and signal that every readiness otherwise costs (a fifth of the relay's CPU at
//   15,000 messages a second).
// - setCoalescingInterval(): while busy, wait at least that long between two passes, so one
//   pass reads everything that arrived meanwhile (a network card's interrupt coalescing). A
//   loop that was idle for longer answers at once; one that is flooded pays one wake-up and one
//   epoll_wait per interval instead of per message. Busy means at least busyThreshold()
//   descriptor reports a second (BusyMeter): below that the loop answers every wake-up, as a
//   pass saved there saves nothing worth its latency.
//
// With QEventLoop::ExcludeSocketNotifiers a pass waits on the wake-up eventfd alone and leaves
// the epoll set untouched, so edge-triggered readiness stays queued in the kernel until a pass
// that takes sockets again.
#pragma once

#include "busymeter.h"

#include <QAbstractEventDispatcher>
#include <QList>

#include <vector>

struct epoll_event;

namespace GroupLoop {

class EpollEventDispatcher : public QAbstractEventDispatcher
{
    Q_OBJECT
public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    // False when the kernel refused epoll or eventfd; do not install it then.
    bool isValid() const { return m_epoll >= 0 && m_wake >= 0; }

    // Receives a watched descriptor's readiness (see watchDescriptor()).
    class DescriptorHandler
    {
    public:
        virtual void descriptorReady(int fd, bool readable, bool writable) = 0;

    protected:
        ~DescriptorHandler() = default;
    };
    // Reports `fd` to `handler` when it becomes readable (read) and/or writable (write); call
    // again to change what is watched, unwatchDescriptor() before closing it. Errors and
    // hang-ups count as readable and writable. Edge-triggered: a report comes when new data (or
    // room) arrives, so the handler reads until recv() returns less than it asked for, or calls
    // reportAgain() to be called once more on the next pass (a flood cannot hold the loop). Not
    // for descriptors that also have QSocketNotifiers.
    void watchDescriptor(int fd, DescriptorHandler *handler, bool read, bool write);
    void unwatchDescriptor(int fd) { watchDescriptor(fd, nullptr, false, false); }
    void reportAgain(int fd); // as readable, on the next pass

    // Minimum time between two busy passes that handled descriptors; 0 (the default) turns it off.
    void setCoalescingInterval(qint64 us) { m_coalesceUs = us; }
    // Descriptor reports a second from which the loop counts as busy (default
    // BusyMeter::DefaultPerSecond); 0: always busy.
    void setBusyThreshold(int reportsPerSecond) { m_busy.setThreshold(reportsPerSecond); }
    int busyThreshold() const { return m_busy.threshold(); }

    // The dispatcher of `thread` when it is an EpollEventDispatcher, else nullptr.
    static EpollEventDispatcher *of(QThread *thread);

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;
    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;
    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;
    void wakeUp() override;
    void interrupt() override;

private:
    struct Watch
    {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        QSocketNotifier *exception = nullptr;
        DescriptorHandler *handler = nullptr;
        quint32 handlerEvents = 0; // EPOLLIN and/or EPOLLOUT
        quint32 registered = 0; // the events epoll has for it; 0: not added
    };
    struct Timer
    {
        int id;
        qint64 intervalMs;
        Qt::TimerType type;
        QObject *object;
        qint64 dueMs;
    };

    Watch &watchFor(int fd); // grows m_watches
    void updateWatch(int fd);
    bool dispatchReady(int fd, quint32 events);
    // Empties the wake-up eventfd (`reported`: epoll or poll said it is readable); true when
    // something woke the loop since the last call.
    bool drainWakeUps(bool reported);
    void prefetchAhead(const ::epoll_event *next, const ::epoll_event *end) const;
    void waitOutCoalescingInterval();
    bool waitForWakeOnly(bool mayWait);
    bool pollSockets(bool mayWait);
    bool activateTimers();
    qint64 nowMs() const;
    int waitTimeoutMs(bool mayWait) const;

    int m_epoll = -1;
    int m_wake = -1;
    std::vector<Watch> m_watches; // indexed by descriptor
    std::vector<int> m_again; // reportAgain()
    QList<Timer> m_timers;
    QAtomicInt m_interrupted;
    QAtomicInt m_wokenUp; // wakeUp() since the last drainWakeUps()
    qint64 m_coalesceUs = 0;
    qint64 m_lastBusyPassUs = 0; // monotonic, when the last busy pass that handled descriptors began
    BusyMeter m_busy {BusyMeter::DefaultPerSecond};
};

} // namespace GroupLoop
