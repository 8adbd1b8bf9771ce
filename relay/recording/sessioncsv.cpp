#include "sessioncsv.h"

#include "sessionstream.h"

#include <QSaveFile>

#include <cstdio>

namespace GroupLoop {

QByteArray SessionCsv::headerLine()
{
    return QByteArrayLiteral("time_s,id,ax_g,ay_g,az_g,nw_dbm,ne_dbm,se_dbm,sw_dbm,tap\n");
}

void SessionCsv::appendRow(QByteArray &out, const SessionFrame &f)
{
    char line[160];
    int n = std::snprintf(line, sizeof line, "%.3f,%04x,%.3f,%.3f,%.3f", double(f.ms) / 1000.0, f.frame.id,
                          f.frame.axG(), f.frame.ayG(), f.frame.azG());
    for (int b = 0; b < 4; ++b) {
        if (f.frame.beaconHeard(b))
            n += std::snprintf(line + n, sizeof line - size_t(n), ",%.1f", f.frame.beaconDbm(b));
        else
            line[n++] = ','; // not heard: empty cell
    }
    n += std::snprintf(line + n, sizeof line - size_t(n), ",%d\n", f.frame.isTap() ? 1 : 0);
    out.append(line, n);
}

namespace {

// Rows go out a MiB at a time through QSaveFile: a failed export leaves no half file.
class CsvFile
{
public:
    explicit CsvFile(const QString &path)
        : m_file(path)
    {
    }
    bool open(QString *error)
    {
        if (!m_file.open(QIODevice::WriteOnly)) {
            *error = m_file.fileName() + QStringLiteral(": cannot create (%1)").arg(m_file.errorString());
            return false;
        }
        m_chunk = SessionCsv::headerLine();
        return true;
    }
    void add(const SessionFrame &frame)
    {
        SessionCsv::appendRow(m_chunk, frame);
        if (m_chunk.size() > 1 << 20) {
            m_file.write(m_chunk);
            m_chunk.clear();
        }
    }
    bool commit(QString *error)
    {
        m_file.write(m_chunk);
        if (!m_file.commit()) {
            *error = m_file.fileName() + QStringLiteral(": cannot write (%1)").arg(m_file.errorString());
            return false;
        }
        return true;
    }

private:
    QSaveFile m_file;
    QByteArray m_chunk;
};

} // namespace

bool SessionCsv::write(const SessionRecording &recording, const QString &path, QString *error)
{
    CsvFile csv(path);
    if (!csv.open(error))
        return false;
    for (const SessionFrame &f : recording.frames)
        csv.add(f);
    return csv.commit(error);
}

bool SessionCsv::write(SessionStream &stream, const QString &path, QString *error, qint64 *frames)
{
    CsvFile csv(path);
    if (!csv.open(error))
        return false;
    SessionRecord record;
    qint64 count = 0;
    while (stream.next(&record)) {
        for (const SensorFrame &f : record.frames)
            csv.add(SessionFrame {record.ms, f});
        count += qint64(record.frames.size());
    }
    if (frames)
        *frames = count;
    return csv.commit(error);
}

} // namespace GroupLoop
