#include "webrootpath.h"

#include <QFileInfo>
#include <QStringDecoder>

namespace GroupLoop::WebRootPath {

namespace {

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Strict percent-decoding: a '%' not followed by two hex digits is an error, not a literal.
std::optional<QByteArray> percentDecoded(QByteArrayView in)
{
    QByteArray out;
    out.reserve(in.size());
    for (qsizetype i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out += in[i];
            continue;
        }
        if (i + 2 >= in.size())
            return std::nullopt;
        const int high = hexValue(in[i + 1]);
        const int low = hexValue(in[i + 2]);
        if (high < 0 || low < 0)
            return std::nullopt;
        out += char(high * 16 + low);
        i += 2;
    }
    return out;
}

} // namespace

std::optional<QStringList> segments(QByteArrayView urlPath)
{
    const std::optional<QByteArray> bytes = percentDecoded(urlPath);
    if (!bytes || bytes->contains('\0') || bytes->contains('\\'))
        return std::nullopt;
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = utf8.decode(*bytes);
    if (utf8.hasError())
        return std::nullopt;
    QStringList out;
    for (const QString &segment : text.split(u'/', Qt::SkipEmptyParts)) {
        if (segment == u"." || segment == u"..")
            return std::nullopt;
        out.append(segment);
    }
    return out;
}

Resolved resolve(QByteArrayView urlPath, const QString &canonicalRoot, const QString &indexFile)
{
    const std::optional<QStringList> parts = segments(urlPath);
    if (!parts)
        return {Verdict::BadRequest, {}};
    for (const QString &segment : *parts) {
        if (segment.startsWith(u'.'))
            return {Verdict::NotFound, {}};
    }
    const QString relative = parts->join(u'/');
    QFileInfo info(relative.isEmpty() ? canonicalRoot : canonicalRoot + u'/' + relative);
    if (info.isDir()) {
        if (indexFile.isEmpty())
            return {Verdict::NotFound, {}};
        if (!urlPath.isEmpty() && !urlPath.endsWith('/'))
            return {Verdict::Folder, {}};
        info = QFileInfo(info.filePath() + u'/' + indexFile);
    }
    // canonicalFilePath() follows every symlink; what it names must still be under the root.
    const QString canonical = info.canonicalFilePath();
    if (canonical.isEmpty() || !canonical.startsWith(canonicalRoot + u'/'))
        return {Verdict::NotFound, {}};
    // A symlink inside the root may not lead to a dotfile either.
    if (canonical.mid(canonicalRoot.size()).contains(u"/."))
        return {Verdict::NotFound, {}};
    const QFileInfo target(canonical);
    if (!target.isFile() || !target.isReadable())
        return {Verdict::NotFound, {}};
    return {Verdict::File, canonical};
}

} // namespace GroupLoop::WebRootPath
