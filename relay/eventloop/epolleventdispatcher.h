// EpollEventDispatcher: an event dispatcher built on Linux epoll, for the relay's thread and the
// swarm's worker thread. Qt's own dispatchers poll() every socket on every pass of the event
// loop, which costs O(sockets) per pass: with 2,000 idle device sockets that is most of a
// millisecond, fifty times a second. epoll reports only the sockets that are ready. Timers are
// kept in a small list (a relay or a worker has a handful, plus one per connection that is
// closing); posted events wake the loop through an eventfd.
#pragma once

#include <QAbstractEventDispatcher>
#include <QHash>
#include <QList>

namespace GroupLoop {

class EpollEventDispatcher : public QAbstractEventDispatcher
{
    Q_OBJECT
public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    // False when the kernel refused epoll or eventfd; do not install it then.
    bool isValid() const { return m_epoll >= 0 && m_wake >= 0; }

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
    };
    struct Timer
    {
        int id;
        qint64 intervalMs;
        Qt::TimerType type;
        QObject *object;
        qint64 dueMs;
    };

    void updateWatch(int fd);
    bool activateTimers();
    qint64 nowMs() const;
    int waitTimeoutMs(bool mayWait) const;

    int m_epoll = -1;
    int m_wake = -1;
    QHash<int, Watch> m_watches;
    QList<Timer> m_timers;
    QAtomicInt m_interrupted;
};

} // namespace GroupLoop
