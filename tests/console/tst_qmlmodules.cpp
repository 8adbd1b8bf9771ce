// Every QML module the console loads at run time comes from a Debian package that
// deploy/quickstart.sh installs and the .deb depends on. A module missing at run time is not a
// build error: the console starts and then fails (or crashes) when the view or dialog that needs
// it opens, as the file dialogs did without Qt.labs.folderlistmodel.
//
// The modules are found the way the engine finds them: the imports of every file under qml/,
// the style and dialog implementation the console selects in C++, then transitively the
// `depends`/`import` lines of each module's qmldir and the imports of the QML files it ships
// (only the Fusion variants of styled files: the console uses Fusion). Each module's qmldir is
// mapped to its package with dpkg.
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QLibraryInfo>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTest>

namespace {

const QString SourceDir = QStringLiteral(GROUPLOOP_SOURCE_DIR);

QString readText(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

QStringList importsIn(const QString &qml)
{
    static const QRegularExpression import(QStringLiteral("^\\s*import\\s+([A-Za-z][\\w.]*)"),
                                           QRegularExpression::MultilineOption);
    QStringList out;
    for (auto it = import.globalMatch(qml); it.hasNext();)
        out << it.next().captured(1);
    return out;
}

// A module's own QML files: not those of nested modules (their own qmldir), not Qt Design
// Studio's helpers, and of the style-selected variants only Fusion's.
QStringList moduleQmlFiles(const QString &moduleDir)
{
    QStringList out;
    QDirIterator it(moduleDir, {QStringLiteral("*.qml")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString relative = QDir(moduleDir).relativeFilePath(QFileInfo(path).path());
        bool skip = false;
        QString walked = moduleDir;
        for (const QString &part : relative.split(u'/', Qt::SkipEmptyParts)) {
            walked += u'/' + part;
            skip = skip || part == u"designer" || (part.startsWith(u'+') && part != u"+Fusion")
                || QFile::exists(walked + QStringLiteral("/qmldir"));
        }
        if (!skip)
            out << path;
    }
    return out;
}

// The package names (qml6-module-...) a file lists.
QSet<QString> qmlPackagesIn(const QString &text)
{
    static const QRegularExpression name(QStringLiteral("\\b(qml6-module-[a-z0-9-]+)"));
    QSet<QString> out;
    for (auto it = name.globalMatch(text); it.hasNext();)
        out.insert(it.next().captured(1));
    return out;
}

} // namespace

class TestQmlModules : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void everyRunTimeModuleIsInstalledAndDeclared();

private:
    QMap<QString, QString> m_moduleDirs; // module -> its directory ("" when not installed)
};

void TestQmlModules::initTestCase()
{
    const QString qmlRoot = QLibraryInfo::path(QLibraryInfo::QmlImportsPath);
    QStringList queue;
    QDirIterator files(SourceDir + QStringLiteral("/qml"), {QStringLiteral("*.qml")}, QDir::Files,
                       QDirIterator::Subdirectories);
    while (files.hasNext())
        queue += importsIn(readText(files.next()));
    // Chosen in C++: the style (console/app/main.cpp) and the non-native file dialogs that
    // QtQuick.Dialogs loads when the platform has none (always, on the offscreen platform).
    queue << QStringLiteral("QtQuick.Controls.Fusion") << QStringLiteral("QtQuick.Dialogs.quickimpl");
    QVERIFY2(queue.size() > 5, "no QML imports found under qml/");

    static const QRegularExpression dependency(QStringLiteral("^\\s*(?:depends|import)\\s+([A-Za-z][\\w.]*)"),
                                               QRegularExpression::MultilineOption);
    while (!queue.isEmpty()) {
        const QString module = queue.takeFirst();
        if (module.startsWith(u"GroupLoop") || m_moduleDirs.contains(module))
            continue;
        const QString dir = qmlRoot + u'/' + QString(module).replace(u'.', u'/');
        const QString qmldir = readText(dir + QStringLiteral("/qmldir"));
        m_moduleDirs.insert(module, qmldir.isEmpty() ? QString() : dir);
        for (auto it = dependency.globalMatch(qmldir); it.hasNext();)
            queue << it.next().captured(1);
        for (const QString &file : moduleQmlFiles(dir))
            queue += importsIn(readText(file));
    }
}

void TestQmlModules::everyRunTimeModuleIsInstalledAndDeclared()
{
    QStringList notInstalled;
    for (auto it = m_moduleDirs.cbegin(); it != m_moduleDirs.cend(); ++it) {
        if (it.value().isEmpty())
            notInstalled << it.key();
    }
    QVERIFY2(notInstalled.isEmpty(),
             qPrintable(QStringLiteral("QML modules the console imports are not installed here: ")
                        + notInstalled.join(u", ")));

    if (QStandardPaths::findExecutable(QStringLiteral("dpkg")).isEmpty())
        QSKIP("no dpkg: cannot tell which package provides each module");
    QStringList qmldirs;
    for (const QString &dir : std::as_const(m_moduleDirs))
        qmldirs << dir + QStringLiteral("/qmldir");
    QProcess dpkg;
    dpkg.start(QStringLiteral("dpkg"), QStringList {QStringLiteral("-S")} + qmldirs);
    QVERIFY(dpkg.waitForFinished(60000));
    // "qml6-module-qtquick-dialogs:amd64: /usr/lib/.../QtQuick/Dialogs/qmldir"
    QMap<QString, QString> packageOf; // qmldir -> package
    for (const QString &line : QString::fromLocal8Bit(dpkg.readAllStandardOutput()).split(u'\n')) {
        const qsizetype split = line.indexOf(QStringLiteral(": "));
        if (split > 0)
            packageOf.insert(line.mid(split + 2).trimmed(), line.left(split).section(u':', 0, 0));
    }
    QSet<QString> needed;
    QStringList unpackaged;
    for (auto it = m_moduleDirs.cbegin(); it != m_moduleDirs.cend(); ++it) {
        const QString package = packageOf.value(it.value() + QStringLiteral("/qmldir"));
        if (package.isEmpty())
            unpackaged << it.key();
        else
            needed.insert(package);
    }
    // Qt built from source (no package owns the files) cannot be checked against Debian names.
    if (needed.isEmpty())
        QSKIP("the QML modules here come from no Debian package");
    QVERIFY2(unpackaged.isEmpty(), qPrintable(QStringLiteral("no package owns: ") + unpackaged.join(u", ")));
    QVERIFY(needed.contains(QStringLiteral("qml6-module-qt-labs-folderlistmodel"))); // the file dialogs'

    const QSet<QString> quickstart
        = qmlPackagesIn(readText(SourceDir + QStringLiteral("/deploy/quickstart.sh")));
    const QSet<QString> deb = qmlPackagesIn(readText(SourceDir + QStringLiteral("/deploy/packaging.cmake")));
    QStringList missing;
    for (const QString &package : std::as_const(needed)) {
        if (!quickstart.contains(package))
            missing << package + QStringLiteral(" (deploy/quickstart.sh)");
        if (!deb.contains(package))
            missing << package + QStringLiteral(" (deploy/packaging.cmake, the .deb's dependencies)");
    }
    missing.sort();
    QVERIFY2(missing.isEmpty(),
             qPrintable(QStringLiteral("the console needs these at run time but they are not listed: ")
                        + missing.join(u", ")));
}

QTEST_GUILESS_MAIN(TestQmlModules)
#include "tst_qmlmodules.moc"
