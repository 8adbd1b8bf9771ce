// The load: D device sockets sending frames at R Hz each (phases spread, jittered) and S
// subscriber sockets measuring what arrives. Each frame carries its device id in the first 4
// hex digits, then a 40-bit send time (us since the bench started) and a 24-bit sequence, so
// subscribers measure end-to-end latency and count delivery without any side channel.
// Devices send from their own thread(s), subscribers read on the main thread, so the bench
// can use a second core while the relay uses the first.
#pragma once

#include <QElapsedTimer>
#include <QEventLoop>
#include <QObject>
#include <QThread>
#include <QTimer>
#include <QUrl>

#include <atomic>
#include <memory>
#include <queue>
#include <vector>

namespace GroupLoop {
class LightWebSocket;
class TlsContext;
} // namespace GroupLoop

namespace GroupLoop::Bench {

qint64 benchNowUs(); // monotonic, us since the bench started

// Blocks in a nested event loop until pred() holds or timeoutMs passes; returns pred(). Unlike
// QTest::qWaitFor it never sleeps while events wait: the load's sockets are served throughout.
template<typename Pred> bool waitUntil(Pred pred, int timeoutMs);
void sleepMs(int ms);

// Latency histogram: 5 us buckets up to 5 s, one overflow bucket.
class LatencyHistogram
{
public:
    LatencyHistogram();
    void add(qint64 us);
    quint64 count() const { return m_count; }
    qint64 maxUs() const { return m_max; }
    qint64 percentileUs(double p) const; // bucket upper bound

private:
    static constexpr qint64 BucketUs = 5;
    std::vector<quint32> m_buckets;
    quint64 m_count = 0;
    qint64 m_max = 0;
};

struct LoadConfig
{
    QUrl url;
    int devices = 300;
    double hz = 50.0;
    int subscribers = 5;
    double jitter = 0.2; // each send moves by up to +-jitter of a period, so nothing fires in lockstep
    int threads = 1; // device sender threads
    // Cluster runs: device i and subscriber i connect to spread[i % size] instead of url.
    QList<QUrl> spread;
    QUrl urlFor(int index) const { return spread.isEmpty() ? url : spread[index % spread.size()]; }
    // wss:// trust, shared by every socket in every sender thread, and the token every socket
    // presents (subscribing to a relay with --token needs a controller token).
    std::shared_ptr<const TlsContext> tls;
    QByteArray token;
    void prepare(LightWebSocket &socket) const; // applies both
};

// A share of the devices, living in one sender thread.
class DeviceGroup : public QObject
{
    Q_OBJECT
public:
    DeviceGroup(const LoadConfig &config, int first, int last);
    ~DeviceGroup() override;

    // Called in the group's thread (queued).
    void open();
    void start(qint64 startUs, qint64 windowStartUs, qint64 windowEndUs);
    void stop();
    void close();

    std::atomic<int> ready {0};
    std::atomic<int> closed {0};
    std::atomic<int> disconnects {0};
    std::atomic<int> lateTicks {0}; // ticks that found a frame due over 5 ms ago: the sender fell behind
    std::atomic<quint64> sentInWindow {0};
    std::atomic<quint64> sentTotal {0};

private:
    struct Due
    {
        qint64 atUs;
        int device; // index into m_sockets
        bool operator>(const Due &other) const { return atUs > other.atUs; }
    };
    void tick();
    qint64 nextDue(int index);

    LoadConfig m_config;
    int m_first;
    std::vector<std::unique_ptr<LightWebSocket>> m_sockets;
    std::vector<quint32> m_sequence;
    std::vector<qint64> m_phaseUs;
    std::vector<qint64> m_count; // sends scheduled so far per device
    std::priority_queue<Due, std::vector<Due>, std::greater<Due>> m_schedule;
    qint64 m_periodUs = 20000;
    qint64 m_startUs = 0;
    qint64 m_windowStartUs = 0;
    qint64 m_windowEndUs = 0;
    quint64 m_rng;
    QTimer *m_ticker = nullptr;
    bool m_closing = false;
};

class BenchLoad : public QObject
{
    Q_OBJECT
public:
    explicit BenchLoad(LoadConfig config, QObject *parent = nullptr);
    ~BenchLoad() override;

    // Opens the subscribers (each sends `s`), then the devices in batches; false on failure.
    bool connectAll(int timeoutMs, QString *error);
    // Starts sending; frames sent with a send time in [windowStartUs, windowEndUs) are measured.
    void startSending(qint64 windowStartUs, qint64 windowEndUs);
    void stopSending();
    void closeAll();

    quint64 sentInWindow() const;
    quint64 sentTotal() const;
    int disconnects() const;
    int lateTicks() const;
    quint64 receivedInWindow() const { return m_receivedInWindow; }
    quint64 receivedTotal() const { return m_receivedTotal; }
    quint64 messagesReceived() const { return m_messagesReceived; }
    quint64 malformedLines() const { return m_malformed; }
    const LatencyHistogram &latency() const { return m_latency; }
    const LatencyHistogram &crossedLatency() const { return m_crossedLatency; } // cluster: via Redis

private:
    void onSubscriberText(int subscriber, const QByteArray &text);

    LoadConfig m_config;
    std::vector<std::unique_ptr<LightWebSocket>> m_subs;
    std::vector<std::unique_ptr<QThread>> m_threads;
    std::vector<DeviceGroup *> m_groups; // each deleted in its thread's finished()
    int m_subsReady = 0;
    int m_subDisconnects = 0;
    bool m_closing = false;

    qint64 m_windowStartUs = 0;
    qint64 m_windowEndUs = 0;
    quint64 m_receivedInWindow = 0;
    quint64 m_receivedTotal = 0;
    quint64 m_messagesReceived = 0;
    quint64 m_malformed = 0;
    LatencyHistogram m_latency;
    LatencyHistogram m_crossedLatency;
};

} // namespace GroupLoop::Bench

template<typename Pred> bool GroupLoop::Bench::waitUntil(Pred pred, int timeoutMs)
{
    QElapsedTimer elapsed;
    elapsed.start();
    while (!pred()) {
        if (elapsed.elapsed() >= timeoutMs)
            return false;
        QEventLoop loop;
        QTimer::singleShot(5, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}
