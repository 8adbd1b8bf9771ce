// replaymemory: long sessions replay in bounded memory (issue 17.6). Two steps, so the peak
// RSS of the second is the player's own:
//   replaymemory generate FILE [--minutes 60] [--devices 2000] [--hz 50] [--rotate-mb 0]
//   replaymemory play FILE [--seconds 30]
// "play" indexes the session (all rotated parts) as the console's worker does, then seeks to
// 25 %, 50 % and the last minute and streams --seconds of session from each into a FrameIngest
// drained like the console's store, and prints the peak RSS (VmHWM) and the times taken.
#include "frameingest.h"
#include "sessionfile.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>

#include <cstdio>

using namespace GroupLoop;

namespace {

qint64 statusKiB(const char *key)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(key))
            return line.mid(qsizetype(strlen(key))).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

double option(const QStringList &args, const QString &name, double fallback)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args[i + 1].toDouble() : fallback;
}

int generate(const QString &path, const QStringList &args)
{
    const int minutes = int(option(args, QStringLiteral("--minutes"), 60));
    const int devices = int(option(args, QStringLiteral("--devices"), 2000));
    const int hz = int(option(args, QStringLiteral("--hz"), 50));
    SessionWriter writer;
    writer.setRotation(qint64(option(args, QStringLiteral("--rotate-mb"), 0)) << 20, 0);
    QString error;
    if (!writer.open(path, SessionHeader(), &error)) {
        std::fprintf(stderr, "replaymemory: %s\n", qPrintable(error));
        return 1;
    }
    QElapsedTimer timer;
    timer.start();
    std::vector<SensorFrame> batch(size_t(devices) / 10); // a tenth of the devices per 2 ms pass
    const qint64 endMs = qint64(minutes) * 60000;
    const int stepMs = 2;
    const int passesPerPeriod = 1000 / hz / stepMs; // each device once per period
    for (qint64 ms = 0, pass = 0; ms < endMs; ms += stepMs, ++pass) {
        const int group = int(pass % passesPerPeriod);
        for (size_t i = 0; i < batch.size(); ++i) {
            SensorFrame &f = batch[i];
            const int device = (group * int(batch.size()) + int(i)) % devices;
            f.id = quint16(0x1000 + device);
            f.ax = quint8(128 + (ms / 20 + device) % 60);
            f.ay = quint8(120 + device % 16);
            f.az = 191;
            f.beacons = {quint8(100 + device % 100), quint8(90 + (ms / 1000) % 50), 80, 70};
            f.tap = (ms / 20 + device) % 997 == 0 ? 1 : 0;
        }
        writer.appendFrames(ms, batch);
        if (ms % 1000 == 0 && !writer.flush()) {
            std::fprintf(stderr, "replaymemory: %s\n", qPrintable(writer.lastError()));
            return 1;
        }
        if (ms % 60000 == 0)
            std::printf("generated %lld min, %.0f s\n", static_cast<long long>(ms / 60000),
                        timer.elapsed() / 1000.0),
                std::fflush(stdout);
    }
    writer.close();
    std::printf(
        "generated %s: %d devices x %d Hz x %d min, %lld records, %.1f MB uncompressed, %.1f MB on disk, "
        "%d parts, %.0f s\n",
        qPrintable(path), devices, hz, minutes, static_cast<long long>(writer.recordCount()),
        writer.bytesWritten() / 1e6, writer.bytesOnDisk() / 1e6, writer.part(), timer.elapsed() / 1000.0);
    return 0;
}

int play(const QString &path, const QStringList &args)
{
    const qint64 seconds = qint64(option(args, QStringLiteral("--seconds"), 30));
    QElapsedTimer timer;
    timer.start();
    const SessionIndex index = SessionIndex::build(path);
    if (!index.isValid()) {
        std::fprintf(stderr, "replaymemory: %s\n", qPrintable(index.error));
        return 1;
    }
    std::printf("indexed %lld frames of %lld devices, %.1f min, %lld parts, %.1f MB on disk, %zu positions "
                "in %.1f s; RSS %lld KiB, peak %lld KiB\n",
                static_cast<long long>(index.frames), static_cast<long long>(index.deviceIds.size()),
                (index.endMs - index.startMs()) / 60000.0, static_cast<long long>(index.parts.size()),
                index.bytes / 1e6, index.positions.size(), timer.elapsed() / 1000.0, statusKiB("VmRSS:"),
                statusKiB("VmHWM:"));
    SessionStream stream;
    QString error;
    if (!stream.open(path, SessionStream::Parts::Follow, &error)) {
        std::fprintf(stderr, "replaymemory: %s\n", qPrintable(error));
        return 1;
    }
    FrameIngest ingest;
    const qint64 span = index.endMs - index.startMs();
    for (const qint64 at : {span / 4, span / 2, std::max<qint64>(0, span - 60000)}) {
        timer.restart();
        stream.seek(index.positionBefore(index.startMs() + at));
        const qint64 seekMs = timer.elapsed();
        SessionRecord record;
        qint64 frames = 0;
        std::vector<TimedFrame> batch;
        while (stream.next(&record) && record.ms < index.startMs() + at + seconds * 1000) {
            batch.clear();
            for (const SensorFrame &f : record.frames)
                batch.push_back(TimedFrame {f, record.ms});
            ingest.push(batch, FrameSource::Replay);
            frames += qint64(batch.size());
            if (frames % 20000 < qint64(batch.size()))
                ingest.drain(); // the console's store drains 20 times a second
        }
        ingest.drain();
        std::printf(
            "at %.1f min: seek %lld ms, %lld s of session (%lld frames) streamed in %.1f s; RSS %lld KiB, "
            "peak %lld KiB\n",
            at / 60000.0, seekMs, static_cast<long long>(seconds), static_cast<long long>(frames),
            timer.elapsed() / 1000.0, statusKiB("VmRSS:"), statusKiB("VmHWM:"));
    }
    std::printf("peak RSS %.1f MB\n", statusKiB("VmHWM:") / 1024.0);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() >= 3 && args[1] == u"generate")
        return generate(args[2], args);
    if (args.size() >= 3 && args[1] == u"play")
        return play(args[2], args);
    std::fprintf(
        stderr,
        "usage: replaymemory generate FILE [--minutes 60] [--devices 2000] [--hz 50] [--rotate-mb N]\n"
        "       replaymemory play FILE [--seconds 30]\n");
    return 2;
}
