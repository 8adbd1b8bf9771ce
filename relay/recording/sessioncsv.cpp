#include "sessioncsv.h"

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

bool SessionCsv::write(const SessionRecording &recording, const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = path + QStringLiteral(": cannot create (%1)").arg(file.errorString());
        return false;
    }
    QByteArray chunk = headerLine();
    for (const SessionFrame &f : recording.frames) {
        appendRow(chunk, f);
        if (chunk.size() > 1 << 20) {
            file.write(chunk);
            chunk.clear();
        }
    }
    file.write(chunk);
    if (!file.commit()) {
        *error = path + QStringLiteral(": cannot write (%1)").arg(file.errorString());
        return false;
    }
    return true;
}

} // namespace GroupLoop
