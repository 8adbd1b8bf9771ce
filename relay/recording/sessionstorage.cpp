#include "sessionstorage.h"

#include <QFileInfo>

#include <zlib.h>

#include <cerrno>
#include <cstring>

namespace GroupLoop {

namespace {
bool isGzipPath(const QString &path)
{
    return path.endsWith(QLatin1String(".gz"), Qt::CaseInsensitive);
}

QString systemError()
{
    return QString::fromLocal8Bit(strerror(errno));
}
} // namespace

bool SessionOutputFile::open(const QString &path, QString *error)
{
    m_path = path;
    if (isGzipPath(path)) {
        // Level 1: a fifth of the default level's CPU on hex text, files about 20 % larger.
        m_gz = gzopen(QFile::encodeName(path).constData(), "wb1");
        if (!m_gz) {
            *error = path + QStringLiteral(": cannot create (%1)").arg(systemError());
            return false;
        }
        return true;
    }
    m_plain.setFileName(path);
    if (!m_plain.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered)) {
        *error = path + QStringLiteral(": cannot create (%1)").arg(m_plain.errorString());
        return false;
    }
    return true;
}

bool SessionOutputFile::write(const char *data, qsizetype size)
{
    bool ok;
    if (m_gz) {
        // Everything so far becomes decodable, even if the stream is never finished.
        ok = (size == 0 || gzwrite(m_gz, data, unsigned(size)) == int(size))
            && gzflush(m_gz, Z_SYNC_FLUSH) == Z_OK;
    } else {
        ok = m_plain.write(data, size) == size;
    }
    m_failed = m_failed || !ok;
    return ok;
}

QString SessionOutputFile::errorText() const
{
    if (m_gz) {
        int code = 0;
        return QString::fromLatin1(gzerror(m_gz, &code));
    }
    return m_plain.errorString();
}

void SessionOutputFile::close()
{
    if (m_gz) {
        gzclose(m_gz);
        m_gz = nullptr;
    }
    m_plain.close();
}

SessionFileBytes readSessionFile(const QString &path)
{
    SessionFileBytes out;
    const QFileInfo info(path);
    if (!info.exists()) {
        out.error = path + QStringLiteral(": no such file");
        return out;
    }
    if (!info.isFile()) {
        out.error = path + QStringLiteral(": not a file");
        return out;
    }
    // gzread reads plain files unchanged, so one path serves both.
    gzFile in = gzopen(QFile::encodeName(path).constData(), "rb");
    if (!in) {
        out.error = path + QStringLiteral(": cannot open (%1)").arg(systemError());
        return out;
    }
    char chunk[64 * 1024];
    int n = 0;
    while ((n = gzread(in, chunk, sizeof chunk)) > 0)
        out.text.append(chunk, n);
    int code = Z_OK;
    const char *message = gzerror(in, &code);
    const QString zlibMessage = QString::fromLatin1(message ? message : "");
    gzclose(in);

    if (n < 0 && code != Z_BUF_ERROR) {
        out.problem = path
            + QStringLiteral(": compressed data is corrupt after %1 bytes (%2); kept what came before")
                  .arg(out.text.size())
                  .arg(zlibMessage);
    } else if (code == Z_BUF_ERROR) {
        out.problem
            = path + QStringLiteral(": compressed data ends early (truncated file); kept what came before");
    }
    return out;
}

} // namespace GroupLoop
