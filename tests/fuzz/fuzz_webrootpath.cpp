// Fuzz target: WebRootPath, the confinement of --web-root (and of every route that serves files
// from a folder). The input is the URL path after a route's prefix; the root holds an app, a
// dotfile, a symlink to a file outside and one to a folder outside. Whatever the input, a file
// it resolves to is a regular file under the root, never the outside file, and reached through
// no dot segment; segments() refuses exactly what resolve() calls a bad request.
#include "webrootpath.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <cstdint>
#include <cstdlib>

namespace {

struct Tree
{
    QTemporaryDir dir;
    QString root; // canonical
    QString outsideFile; // canonical
    Tree()
    {
        const QString base = QFileInfo(dir.path()).canonicalFilePath();
        root = base + QStringLiteral("/root");
        QDir().mkpath(root + QStringLiteral("/apps/a/sub"));
        QDir().mkpath(base + QStringLiteral("/outside"));
        auto write = [](const QString &path) {
            QFile file(path);
            if (!file.open(QIODevice::WriteOnly))
                std::abort();
            file.write("x");
        };
        write(root + QStringLiteral("/apps/a/index.html"));
        write(root + QStringLiteral("/apps/a/sub/app.js"));
        write(root + QStringLiteral("/.hidden"));
        outsideFile = base + QStringLiteral("/outside/secret");
        write(outsideFile);
        QFile::link(outsideFile, root + QStringLiteral("/apps/a/out"));
        QFile::link(base + QStringLiteral("/outside"), root + QStringLiteral("/apps/outdir"));
        QFile::link(QStringLiteral("/etc"), root + QStringLiteral("/etc"));
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace GroupLoop::WebRootPath;
    static const Tree tree;
    const QByteArrayView path(reinterpret_cast<const char *>(data), qsizetype(size));
    const Resolved resolved = resolve(path, tree.root, QStringLiteral("index.html"));
    const std::optional<QStringList> parts = segments(path);
    if (!parts != (resolved.verdict == Verdict::BadRequest))
        std::abort();
    if (parts) {
        for (const QString &segment : *parts) {
            if (segment.isEmpty() || segment == u"." || segment == u".." || segment.contains(u'/')
                || segment.contains(u'\\') || segment.contains(QChar(0)))
                std::abort();
        }
    }
    if (resolved.verdict == Verdict::File) {
        const QFileInfo info(resolved.file);
        if (!resolved.file.startsWith(tree.root + u'/') || info.canonicalFilePath() != resolved.file
            || !info.isFile() || resolved.file == tree.outsideFile)
            std::abort();
        for (const QString &segment : resolved.file.mid(tree.root.size() + 1).split(u'/')) {
            if (segment.startsWith(u'.'))
                std::abort();
        }
    } else if (!resolved.file.isEmpty()) {
        std::abort();
    }
    return 0;
}
