// Benchmark: UTF-8 validation of what the relay and the simulator receive, Qt's
// QUtf8StringView::isValidUtf8 (what WebSocketFrameParser uses) against a byte-at-a-time
// validator written for RFC 3629 (the parser's own until this comparison). Prints ns per call
// and GB/s for the message shapes GroupLoop sees: one sensor frame line (21 bytes), a gateway
// batch of 50 lines, a command, and long text with and without multi-byte characters.
// Both must agree on every input, valid and invalid; the figures go to docs/performance.md.
#include <QElapsedTimer>
#include <QTest>

#include <cstdio>

namespace {

// The contender: RFC 3629 checked byte by byte (overlongs, surrogates, over U+10FFFF).
bool ownIsValidUtf8(QByteArrayView bytes)
{
    const auto *s = reinterpret_cast<const quint8 *>(bytes.data());
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    while (i < n) {
        const quint8 c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        int more;
        quint8 lo = 0x80, hi = 0xbf; // allowed range of the second byte
        if (c >= 0xc2 && c <= 0xdf) {
            more = 1;
        } else if (c >= 0xe0 && c <= 0xef) {
            more = 2;
            if (c == 0xe0)
                lo = 0xa0;
            else if (c == 0xed)
                hi = 0x9f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            more = 3;
            if (c == 0xf0)
                lo = 0x90;
            else if (c == 0xf4)
                hi = 0x8f;
        } else {
            return false;
        }
        if (n - i <= more)
            return false;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return false;
        for (int k = 2; k <= more; ++k) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
        }
        i += more + 1;
    }
    return true;
}

template<typename F> double nsPerCall(F check, const QByteArray &input, bool *result)
{
    // Enough calls for ~50 ms per measurement, best of five (a shared machine adds noise).
    const qint64 calls = std::max<qint64>(1000, qint64(20'000'000) / std::max<qsizetype>(input.size(), 16));
    double best = 1e300;
    for (int round = 0; round < 5; ++round) {
        bool all = true;
        QElapsedTimer timer;
        timer.start();
        for (qint64 i = 0; i < calls; ++i)
            all &= check(QByteArrayView(input));
        const double ns = double(timer.nsecsElapsed()) / double(calls);
        best = std::min(best, ns);
        *result = all;
    }
    return best;
}

} // namespace

class BenchUtf8 : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void agree_data();
    void agree();
    void speed_data();
    void speed();
};

void BenchUtf8::agree_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("ascii") << QByteArray("hello");
    QTest::newRow("2-byte") << QByteArray("l\xc3\xa4mp");
    QTest::newRow("4-byte") << QByteArray("\xf0\x9f\x98\x80");
    QTest::newRow("U+10FFFF") << QByteArray("\xf4\x8f\xbf\xbf");
    QTest::newRow("over U+10FFFF") << QByteArray("\xf4\x90\x80\x80");
    QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80");
    QTest::newRow("overlong") << QByteArray("\xe0\x80\xaf");
    QTest::newRow("truncated") << QByteArray("abc\xf0\x9f\x98");
    QTest::newRow("0xff in long ascii") << QByteArray(300, 'a') + "\xff" + QByteArray(30, 'b');
}

void BenchUtf8::agree()
{
    QFETCH(QByteArray, bytes);
    QCOMPARE(QUtf8StringView(bytes).isValidUtf8(), ownIsValidUtf8(bytes));
}

void BenchUtf8::speed_data()
{
    QTest::addColumn<QByteArray>("input");
    const QByteArray line = "a1b28080bf0000000000\n";
    QByteArray batch;
    for (int i = 0; i < 50; ++i)
        batch += line;
    QByteArray german;
    while (german.size() < 4096)
        german += "Grüße aus der Lampe: Größe, Maß, Übermut. ";
    QByteArray emoji;
    while (emoji.size() < 4096)
        emoji += "\xf0\x9f\x98\x80 \xe2\x82\xac ok ";
    QTest::newRow("frame line 21 B") << line;
    QTest::newRow("command 24 B") << QByteArray("cmd:all:led_set:2:00ff00");
    QTest::newRow("gateway batch 1050 B") << batch;
    QTest::newRow("ascii 64 KiB") << QByteArray(65536, 'x');
    QTest::newRow("latin text 4 KiB") << german;
    QTest::newRow("emoji text 4 KiB") << emoji;
}

void BenchUtf8::speed()
{
    QFETCH(QByteArray, input);
    bool qtResult = false;
    bool ownResult = false;
    const double qt
        = nsPerCall([](QByteArrayView b) { return QUtf8StringView(b).isValidUtf8(); }, input, &qtResult);
    const double own = nsPerCall(ownIsValidUtf8, input, &ownResult);
    QVERIFY(qtResult);
    QVERIFY(ownResult);
    std::printf(
        "bench_utf8 %-22s %6lld B | Qt %9.1f ns (%5.2f GB/s) | own %9.1f ns (%5.2f GB/s) | own/Qt %.2f\n",
        QTest::currentDataTag(), static_cast<long long>(input.size()), qt, double(input.size()) / qt, own,
        double(input.size()) / own, own / qt);
    std::fflush(stdout);
}

QTEST_GUILESS_MAIN(BenchUtf8)
#include "bench_utf8.moc"
