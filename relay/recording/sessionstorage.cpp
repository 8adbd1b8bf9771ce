#include "sessionstorage.h"

#include <QFileInfo>

#include <zlib.h>

#include <algorithm>
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
    m_memberBytes = 0;
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
        m_memberBytes += size;
        if (ok && m_memberBytes >= MemberBytes) {
            // A new member: inflating can start here without anything before it.
            ok = gzclose(m_gz) == Z_OK;
            m_gz = ok ? gzopen(QFile::encodeName(m_path).constData(), "ab1") : nullptr;
            ok = m_gz != nullptr;
            m_memberBytes = 0;
        }
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
    if (isGzipPath(m_path) && m_failed)
        return systemError();
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

SessionInputFile::SessionInputFile() = default;

SessionInputFile::~SessionInputFile()
{
    if (m_z)
        inflateEnd(m_z.get());
}

bool SessionInputFile::open(const QString &path, QString *error)
{
    m_path = path;
    const QFileInfo info(path);
    if (!info.exists()) {
        *error = path + QStringLiteral(": no such file");
        return false;
    }
    if (!info.isFile()) {
        *error = path + QStringLiteral(": not a file");
        return false;
    }
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::ReadOnly)) {
        *error = path + QStringLiteral(": cannot open (%1)").arg(m_file.errorString());
        return false;
    }
    m_size = m_file.size();
    const QByteArray magic = m_file.peek(2);
    m_gzip = magic.size() == 2 && quint8(magic[0]) == 0x1f && quint8(magic[1]) == 0x8b;
    if (m_gzip) {
        m_z = std::make_unique<z_stream>();
        std::memset(m_z.get(), 0, sizeof(z_stream));
        if (inflateInit2(m_z.get(), 15 + 16) != Z_OK) { // gzip only
            *error = path + QStringLiteral(": cannot start inflating");
            m_z.reset();
            return false;
        }
    }
    return seek({});
}

bool SessionInputFile::seek(const SessionRestartPoint &point)
{
    if (!m_file.seek(m_gzip ? point.raw : point.text))
        return false;
    m_text = point.text;
    m_ended = false;
    m_problem.clear();
    m_points.clear();
    if (m_gzip) {
        inflateReset(m_z.get());
        m_in.clear();
        m_z->next_in = nullptr;
        m_z->avail_in = 0;
        m_inRaw = point.raw;
        m_inMember = false;
        m_points.push_back(point);
    }
    return true;
}

SessionRestartPoint SessionInputFile::restartPointFor(qint64 textOffset)
{
    if (!m_gzip)
        return {textOffset, textOffset};
    while (m_points.size() > 1 && m_points[1].text <= textOffset)
        m_points.pop_front();
    return m_points.empty() ? SessionRestartPoint {} : m_points.front();
}

qint64 SessionInputFile::read(char *out, qint64 max)
{
    if (m_ended || max <= 0)
        return 0;
    qint64 n = m_gzip ? inflateSome(out, max) : m_file.read(out, max);
    if (n <= 0) {
        m_ended = true;
        return 0;
    }
    m_text += n;
    return n;
}

qint64 SessionInputFile::inflateSome(char *out, qint64 max)
{
    constexpr qint64 InChunk = 64 * 1024;
    z_stream &z = *m_z;
    z.next_out = reinterpret_cast<Bytef *>(out);
    z.avail_out = uInt(std::min<qint64>(max, 1 << 30));
    const uInt wanted = z.avail_out;
    while (z.avail_out == wanted) { // until some text came, or the end
        if (z.avail_in == 0) {
            m_inRaw = m_file.pos();
            m_in = m_file.read(InChunk);
            if (m_in.isEmpty()) {
                if (m_inMember)
                    m_problem = m_path
                        + QStringLiteral(
                                    ": compressed data ends early (truncated file); kept what came before");
                break;
            }
            z.next_in = reinterpret_cast<Bytef *>(m_in.data());
            z.avail_in = uInt(m_in.size());
        }
        if (!m_inMember) {
            // Another member, or the end: anything but gzip's magic after a member is ignored
            // (gzip itself ignores trailing zeros).
            if (z.avail_in >= 1 && z.next_in[0] != 0x1f)
                break;
            m_inMember = true;
        }
        const int ret = inflate(&z, Z_NO_FLUSH);
        if (ret == Z_STREAM_END) {
            m_inMember = false;
            inflateReset(&z);
            const qint64 consumed = qint64(z.next_in - reinterpret_cast<Bytef *>(m_in.data()));
            m_points.push_back({m_inRaw + consumed, m_text + qint64(wanted - z.avail_out)});
        } else if (ret != Z_OK && !(ret == Z_BUF_ERROR && z.avail_in == 0)) {
            m_problem = m_path
                + QStringLiteral(": compressed data is corrupt after %1 bytes (%2); kept what came before")
                      .arg(m_text + qint64(wanted - z.avail_out))
                      .arg(QString::fromLatin1(z.msg ? z.msg : "unknown error"));
            break;
        }
    }
    return qint64(wanted - z.avail_out);
}

} // namespace GroupLoop
