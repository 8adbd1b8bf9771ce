#include "benchload.h"

#include "epolleventdispatcher.h"
#include "lightwebsocket.h"
#include "tlscontext.h"

#include <array>
#include <chrono>
#include <cstring>
#include <functional>

namespace GroupLoop::Bench {

namespace {

constexpr char HexDigits[] = "0123456789abcdef";
constexpr int ConnectBatch = 200; // below the relay's listen backlog

void putHex(char *out, quint64 value, int digits)
{
    for (int i = digits - 1; i >= 0; --i) {
        out[i] = HexDigits[value & 15];
        value >>= 4;
    }
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

bool parseHex(const char *in, int digits, quint64 *value)
{
    quint64 v = 0;
    for (int i = 0; i < digits; ++i) {
        const int d = hexValue(in[i]);
        if (d < 0)
            return false;
        v = v << 4 | quint64(d);
    }
    *value = v;
    return true;
}

quint64 splitmix(quint64 &state)
{
    quint64 z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

const std::chrono::steady_clock::time_point BenchEpoch = std::chrono::steady_clock::now();

} // namespace

void LoadConfig::prepare(LightWebSocket &socket) const
{
    socket.setTlsContext(tls);
    socket.setBearerToken(token);
}

qint64 benchNowUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now()
                                                                 - BenchEpoch)
        .count();
}

LatencyHistogram::LatencyHistogram()
    : m_buckets(5'000'000 / BucketUs + 1, 0)
{
}

void LatencyHistogram::add(qint64 us)
{
    if (us < 0)
        us = 0;
    m_max = std::max(m_max, us);
    ++m_count;
    ++m_buckets[std::min<size_t>(size_t(us / BucketUs), m_buckets.size() - 1)];
}

qint64 LatencyHistogram::percentileUs(double p) const
{
    if (m_count == 0)
        return 0;
    const quint64 rank = quint64(p / 100.0 * double(m_count - 1)) + 1;
    quint64 seen = 0;
    for (size_t i = 0; i < m_buckets.size(); ++i) {
        seen += m_buckets[i];
        if (seen >= rank)
            return i + 1 == m_buckets.size() ? m_max : std::min(m_max, qint64(i + 1) * BucketUs);
    }
    return m_max;
}

DeviceGroup::DeviceGroup(const LoadConfig &config, int first, int last)
    : m_config(config)
    , m_first(first)
    , m_rng(0x9e3779b97f4a7c15ULL ^ quint64(first))
{
    m_periodUs = qint64(1e6 / m_config.hz);
    m_sequence.assign(size_t(last - first), 0);
    m_sockets.resize(size_t(last - first));
}

DeviceGroup::~DeviceGroup()
{
    m_closing = true;
}

void DeviceGroup::open()
{
    // Opened in batches below the relay's listen backlog; the next batch starts when this one is in.
    const int size = int(m_sockets.size());
    auto openBatch = std::make_shared<std::function<void(int)>>();
    *openBatch = [this, size, openBatch](int from) {
        const int to = std::min(size, from + ConnectBatch);
        auto pending = std::make_shared<int>(to - from);
        for (int i = from; i < to; ++i) {
            auto socket = std::make_unique<LightWebSocket>();
            LightWebSocket *s = socket.get();
            m_config.prepare(*s);
            // The greeting is the only message a device receives here; it means "ready".
            connect(
                s, &LightWebSocket::textReceived, this,
                [this, pending, to, size, openBatch] {
                    ++ready;
                    if (--*pending == 0 && to < size)
                        (*openBatch)(to);
                },
                Qt::SingleShotConnection);
            connect(s, &LightWebSocket::disconnected, this, [this, i](const QString &reason) {
                if (m_closing) {
                    ++closed;
                    return;
                }
                if (++disconnects <= 5)
                    qWarning("relaybench: device %d disconnected: %s", m_first + i, qPrintable(reason));
            });
            s->open(m_config.urlFor(m_first + i));
            m_sockets[size_t(i)] = std::move(socket);
        }
    };
    if (size > 0)
        (*openBatch)(0);
}

qint64 DeviceGroup::nextDue(int index)
{
    // The k-th send of a device is due at start + phase + k * period, moved by a random jitter
    // that does not accumulate, so the mean rate is exactly hz.
    const qint64 k = m_count[size_t(index)]++;
    const qint64 spread = qint64(m_config.jitter * double(m_periodUs));
    const qint64 jitter = spread > 0 ? qint64(splitmix(m_rng) % quint64(2 * spread + 1)) - spread : 0;
    return m_startUs + m_phaseUs[size_t(index)] + k * m_periodUs + jitter;
}

void DeviceGroup::start(qint64 startUs, qint64 windowStartUs, qint64 windowEndUs)
{
    m_startUs = startUs;
    m_windowStartUs = windowStartUs;
    m_windowEndUs = windowEndUs;
    const int size = int(m_sockets.size());
    m_phaseUs.resize(size_t(size));
    m_count.assign(size_t(size), 1);
    for (int i = 0; i < size; ++i) {
        // Phases spread evenly over one period across all devices: they boot at random times,
        // not in lockstep.
        m_phaseUs[size_t(i)] = qint64(m_first + i) * m_periodUs / std::max(1, m_config.devices);
        m_schedule.push({m_startUs + m_phaseUs[size_t(i)], i});
    }
    m_ticker = new QTimer(this);
    m_ticker->setTimerType(Qt::PreciseTimer);
    m_ticker->setInterval(1);
    connect(m_ticker, &QTimer::timeout, this, &DeviceGroup::tick);
    m_ticker->start();
}

void DeviceGroup::stop()
{
    if (m_ticker)
        m_ticker->stop();
}

void DeviceGroup::close()
{
    stop();
    m_closing = true;
    for (auto &socket : m_sockets) {
        if (socket && socket->state() != LightWebSocket::State::Unconnected)
            socket->close();
        else
            ++closed;
    }
}

void DeviceGroup::tick()
{
    // Only what was due when the tick began: a sender that falls behind must not livelock
    // chasing the clock; it shows up as late ticks instead.
    const qint64 now = benchNowUs();
    bool late = false;
    quint64 inWindow = 0;
    quint64 sent = 0;
    while (!m_schedule.empty() && m_schedule.top().atUs <= now) {
        const Due due = m_schedule.top();
        m_schedule.pop();
        late = late || now - due.atUs > 5000;
        m_schedule.push({nextDue(due.device), due.device});
        LightWebSocket *socket = m_sockets[size_t(due.device)].get();
        if (!socket->isOpen())
            continue;
        const qint64 sendUs = benchNowUs();
        std::array<char, 21> frame;
        putHex(frame.data(), quint64(m_first + due.device), 4);
        putHex(frame.data() + 4, quint64(sendUs) & 0xff'ffff'ffffULL, 10);
        putHex(frame.data() + 14, m_sequence[size_t(due.device)]++ & 0xff'ffffU, 6);
        frame[20] = '\n'; // producers append a newline, as the firmware does
        socket->sendText(QByteArrayView(frame.data(), qsizetype(frame.size())));
        ++sent;
        if (sendUs >= m_windowStartUs && sendUs < m_windowEndUs)
            ++inWindow;
    }
    sentTotal += sent;
    sentInWindow += inWindow;
    if (late)
        ++lateTicks;
}

BenchLoad::BenchLoad(LoadConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
}

BenchLoad::~BenchLoad()
{
    m_closing = true;
    for (auto &thread : m_threads) {
        thread->quit();
        thread->wait();
    }
}

bool BenchLoad::connectAll(int timeoutMs, QString *error)
{
    for (int i = 0; i < m_config.subscribers; ++i) {
        auto socket = std::make_unique<LightWebSocket>();
        socket->setMaxMessageBytes(64 * 1024 * 1024);
        LightWebSocket *s = socket.get();
        m_config.prepare(*s);
        connect(s, &LightWebSocket::connected, this, [s] { s->sendText("s"); });
        connect(s, &LightWebSocket::textReceived, this, [this, i](const QByteArray &text) {
            if (text == "stream:on")
                ++m_subsReady;
            else
                onSubscriberText(i, text);
        });
        connect(s, &LightWebSocket::disconnected, this, [this](const QString &reason) {
            if (!m_closing) {
                ++m_subDisconnects;
                qWarning("relaybench: subscriber disconnected: %s", qPrintable(reason));
            }
        });
        s->open(m_config.urlFor(i));
        m_subs.push_back(std::move(socket));
    }
    if (!waitUntil([&] { return m_subsReady == m_config.subscribers; }, timeoutMs)) {
        *error = QStringLiteral("only %1 of %2 subscribers subscribed")
                     .arg(m_subsReady)
                     .arg(m_config.subscribers);
        return false;
    }

    const int threads = std::max(1, std::min(m_config.threads, std::max(1, m_config.devices)));
    for (int t = 0; t < threads; ++t) {
        const int first = int(qint64(m_config.devices) * t / threads);
        const int last = int(qint64(m_config.devices) * (t + 1) / threads);
        auto thread = std::make_unique<QThread>();
        // epoll: a sender thread ticks every millisecond over thousands of sockets, and Qt's
        // poll() dispatcher would walk all of them on every tick.
        auto dispatcher = std::make_unique<EpollEventDispatcher>();
        if (dispatcher->isValid())
            thread->setEventDispatcher(dispatcher.release());
        auto *group = new DeviceGroup(m_config, first, last);
        group->moveToThread(thread.get());
        connect(thread.get(), &QThread::finished, group, &QObject::deleteLater);
        connect(thread.get(), &QThread::finished, thread.get(), &TlsContext::releaseThreadState,
                Qt::DirectConnection); // see TlsContext::releaseThreadState()
        thread->start();
        QMetaObject::invokeMethod(group, &DeviceGroup::open, Qt::QueuedConnection);
        m_groups.push_back(group);
        m_threads.push_back(std::move(thread));
    }
    const int perBatchMs = timeoutMs;
    const bool ok = waitUntil(
        [&] {
            int ready = 0;
            for (DeviceGroup *group : m_groups)
                ready += group->ready;
            return ready == m_config.devices;
        },
        perBatchMs * std::max(1, (m_config.devices + ConnectBatch - 1) / ConnectBatch));
    if (!ok) {
        int ready = 0;
        for (DeviceGroup *group : m_groups)
            ready += group->ready;
        *error = QStringLiteral("only %1 of %2 devices connected").arg(ready).arg(m_config.devices);
    }
    return ok;
}

void BenchLoad::startSending(qint64 windowStartUs, qint64 windowEndUs)
{
    m_windowStartUs = windowStartUs;
    m_windowEndUs = windowEndUs;
    const qint64 start = benchNowUs();
    for (DeviceGroup *group : m_groups) {
        QMetaObject::invokeMethod(
            group,
            [group, start, windowStartUs, windowEndUs] { group->start(start, windowStartUs, windowEndUs); },
            Qt::QueuedConnection);
    }
}

void BenchLoad::stopSending()
{
    for (DeviceGroup *group : m_groups)
        QMetaObject::invokeMethod(group, &DeviceGroup::stop, Qt::BlockingQueuedConnection);
}

quint64 BenchLoad::sentInWindow() const
{
    quint64 sum = 0;
    for (DeviceGroup *group : m_groups)
        sum += group->sentInWindow;
    return sum;
}

quint64 BenchLoad::sentTotal() const
{
    quint64 sum = 0;
    for (DeviceGroup *group : m_groups)
        sum += group->sentTotal;
    return sum;
}

int BenchLoad::disconnects() const
{
    int sum = m_subDisconnects;
    for (DeviceGroup *group : m_groups)
        sum += group->disconnects;
    return sum;
}

int BenchLoad::lateTicks() const
{
    int sum = 0;
    for (DeviceGroup *group : m_groups)
        sum += group->lateTicks;
    return sum;
}

void BenchLoad::onSubscriberText(int subscriber, const QByteArray &text)
{
    ++m_messagesReceived;
    const qint64 now = benchNowUs();
    const char *data = text.constData();
    const qsizetype size = text.size();
    qsizetype start = 0;
    while (start < size) {
        const char *lineEnd = static_cast<const char *>(memchr(data + start, '\n', size_t(size - start)));
        const qsizetype end = lineEnd ? lineEnd - data : size;
        quint64 id = 0;
        quint64 sentUs = 0;
        if (end - start == 20 && parseHex(data + start, 4, &id) && parseHex(data + start + 4, 10, &sentUs)
            && id < quint64(m_config.devices)) {
            ++m_receivedTotal;
            const qint64 ts = qint64(sentUs);
            if (ts >= m_windowStartUs && ts < m_windowEndUs) {
                ++m_receivedInWindow;
                m_latency.add(now - ts);
                // Cluster runs: a frame from a device on another relay than this subscriber's.
                const qsizetype relays = m_config.spread.size();
                if (relays > 1 && qsizetype(id) % relays != subscriber % relays)
                    m_crossedLatency.add(now - ts);
            }
        } else if (end - start == 20) {
            ++m_malformed; // a frame-sized line we did not send
        }
        start = end + 1;
    }
}

void BenchLoad::closeAll()
{
    m_closing = true;
    for (DeviceGroup *group : m_groups)
        QMetaObject::invokeMethod(group, &DeviceGroup::close, Qt::QueuedConnection);
    for (auto &socket : m_subs)
        socket->close();
    waitUntil(
        [this] {
            int closed = 0;
            for (DeviceGroup *group : m_groups)
                closed += group->closed;
            return closed >= m_config.devices;
        },
        5000);
}

void sleepMs(int ms)
{
    waitUntil([] { return false; }, ms);
}

} // namespace GroupLoop::Bench
