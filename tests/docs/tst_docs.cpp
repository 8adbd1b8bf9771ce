// README.md and docs/*.md against the programs built from this checkout: every flag the docs
// show exists, documented defaults are the ones --help gives, --help and --version work, a bad
// flag exits as documented with one line, the session example of docs/recording.md is read as
// the doc says, and the documented counts (conformance cases, fuzz targets) are the real ones.
// Everything is taken from the docs themselves, so the test fails when they drift.
#include "docmarkdown.h"
#include "programs.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace GroupLoop::DocCheck;

namespace {

const QString SourceDir = QStringLiteral(GROUPLOOP_SOURCE_DIR);

struct Run
{
    int exitCode = -1;
    QString out;
    QStringList errLines; // non-empty lines
};

QString binaryOf(const QString &program)
{
    if (program == u"grouploop-relay")
        return GroupLoop::Testing::relayBinary();
    if (program == u"grouploop-sim")
        return GroupLoop::Testing::simBinary();
#ifdef GROUPLOOP_CONSOLE_BINARY
    if (program == u"grouploop-console")
        return QStringLiteral(GROUPLOOP_CONSOLE_BINARY);
#endif
    return {};
}

Run run(const QString &program, const QStringList &arguments, const QString &workDir = QString())
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // The console builds its QGuiApplication before it reads its flags, so even its --help needs a
    // platform; offscreen needs no display.
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    static QTemporaryDir runtimeDir; // else Qt warns about XDG_RUNTIME_DIR on stderr
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtimeDir.path());
    process.setProcessEnvironment(env);
    if (!workDir.isEmpty())
        process.setWorkingDirectory(workDir);
    process.start(binaryOf(program), arguments);
    Run result;
    if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit) {
        process.kill();
        process.waitForFinished();
        result.errLines = {program + QStringLiteral(" did not finish normally")};
        return result;
    }
    result.exitCode = process.exitCode();
    result.out = QString::fromLocal8Bit(process.readAllStandardOutput());
    for (const QString &line : QString::fromLocal8Bit(process.readAllStandardError()).split(u'\n')) {
        if (!line.trimmed().isEmpty())
            result.errLines.append(line);
    }
    return result;
}

QStringList programs()
{
    QStringList list {QStringLiteral("grouploop-relay"), QStringLiteral("grouploop-sim")};
#ifdef GROUPLOOP_CONSOLE_BINARY
    list.append(QStringLiteral("grouploop-console"));
#endif
    return list;
}

QStringList docFiles()
{
    QStringList files {QStringLiteral("README.md")};
    for (const QString &name : QDir(SourceDir + QStringLiteral("/docs")).entryList({u"*.md"_qs}, QDir::Files))
        files.append(QStringLiteral("docs/") + name);
    return files;
}

// A file of the checkout; null (and a warning saying why) when it cannot be read.
QString sourceFile(const QString &relative)
{
    QString why;
    const auto text = readFile(SourceDir + u'/' + relative, &why);
    if (!text) {
        qWarning("%s", qPrintable(why));
        return {};
    }
    return *text;
}

// The first capture of `pattern` in `text`, or empty.
QString find(const QString &text, const QString &pattern)
{
    return QRegularExpression(pattern).match(text).captured(1);
}

// Reads files of the checkout into the strings given; false (with a warning) if one cannot be read.
bool readSources(std::initializer_list<std::pair<QString, QString *>> files)
{
    for (const auto &[relative, text] : files) {
        *text = sourceFile(relative);
        if (text->isNull())
            return false;
    }
    return true;
}

// One data row per value, named by it.
void addRows(const char *column, const QStringList &values)
{
    QTest::addColumn<QString>(column);
    for (const QString &value : values)
        QTest::newRow(qPrintable(value)) << value;
}

QMap<QString, QString> helpOf(const QString &program)
{
    return helpEntries(run(program, {u"--help"_qs}).out);
}

} // namespace

class TestDocs : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void helpAndVersion_data();
    void helpAndVersion();
    void helpNamesEveryDefault_data();
    void helpNamesEveryDefault();
    void documentedFlagsExist_data();
    void documentedFlagsExist();
    void relayDefaultsAreTheHelpDefaults_data();
    void relayDefaultsAreTheHelpDefaults();
    void simUsageDefaultsAreTheHelpDefaults();
    void badFlag_data();
    void badFlag();
    void consoleBadValuesExitAsDocumented();
    void recordingExampleReadsAsDocumented();
    void notASessionIsRefusedAsDocumented();
    void conformanceCasesAsDocumented();
    void fuzzTargetsAsDocumented();
    void builtInCommandsAsDocumented();
    void linksResolve_data();
    void linksResolve();
};

void TestDocs::helpAndVersion_data()
{
    addRows("program", programs());
}

void TestDocs::helpAndVersion()
{
    QFETCH(QString, program);
    const Run help = run(program, {u"--help"_qs});
    QCOMPARE(help.exitCode, 0);
    QVERIFY2(help.errLines.isEmpty(), qPrintable(help.errLines.join(u'\n')));
    QVERIFY2(helpEntries(help.out).contains(u"version"_qs), qPrintable(help.out));

    const Run version = run(program, {u"--version"_qs});
    QCOMPARE(version.exitCode, 0);
    const QString shown = find(version.out, program + QStringLiteral(" (\\d+\\.\\d+\\.\\d+)\\s*$"));
    QVERIFY2(!shown.isEmpty(), qPrintable(version.out));
    // The version the docs show in /health is the one the programs report.
    QString relayDoc;
    QVERIFY(readSources({{u"docs/relay.md"_qs, &relayDoc}}));
    QCOMPARE(find(relayDoc, QStringLiteral("\"version\":\"([^\"]+)\"")), shown);
}

void TestDocs::helpNamesEveryDefault_data()
{
    addRows("program", programs());
}

// Every option that takes a value says in --help what holds without it ("default 5003",
// "default none: a single relay"), so nobody has to read the source to know.
void TestDocs::helpNamesEveryDefault()
{
    QFETCH(QString, program);
    const Run help = run(program, {u"--help"_qs});
    QCOMPARE(help.exitCode, 0);
    const QMap<QString, QString> entries = helpEntries(help.out);
    // "  --port <port>   Port for ...": the options whose names column shows a <value>.
    static const QRegularExpression valueOption(QStringLiteral("^  (?:-\\w, )?--([a-z][a-z0-9-]*) <"),
                                                QRegularExpression::MultilineOption);
    QStringList withValue;
    QStringList lacking;
    for (auto it = valueOption.globalMatch(help.out); it.hasNext();) {
        const QString flag = it.next().captured(1);
        withValue << flag;
        if (helpDefault(entries.value(flag)).isEmpty())
            lacking << QStringLiteral("--") + flag;
    }
    QVERIFY2(withValue.size() >= 3,
             qPrintable(program + QStringLiteral(": no options with values in --help")));
    QVERIFY2(lacking.isEmpty(),
             qPrintable(program + QStringLiteral(" --help names no default for ") + lacking.join(u", ")));
}

void TestDocs::documentedFlagsExist_data()
{
    QTest::addColumn<QString>("program");
    QTest::addColumn<QString>("doc");
    for (const QString &program : programs()) {
        for (const QString &doc : docFiles()) {
            if (sourceFile(doc).contains(program)) // a doc that never names it shows none of its flags
                QTest::newRow(qPrintable(program + u' ' + doc)) << program << doc;
        }
    }
}

void TestDocs::documentedFlagsExist()
{
    QFETCH(QString, program);
    QFETCH(QString, doc);
    QString markdown;
    QVERIFY(readSources({{doc, &markdown}}));
    QStringList flags;
    for (const QString &command : commandsOf(markdown, program))
        flags += longFlags(command);
    if (program == u"grouploop-relay") { // the flag tables of relay.md and operations.md
        for (const QStringList &row : tableRows(markdown, {u"flag"_qs}))
            flags += longFlags(row.value(0));
    }
    if (flags.isEmpty())
        QSKIP("this doc shows no command of this program");
    const QMap<QString, QString> help = helpOf(program);
    QStringList missing;
    for (const QString &flag : std::as_const(flags)) {
        if (!help.contains(flag) && !missing.contains(flag))
            missing.append(QStringLiteral("--") + flag);
    }
    QVERIFY2(missing.isEmpty(),
             qPrintable(doc + QStringLiteral(" shows flags that ") + program
                        + QStringLiteral(" --help does not list: ") + missing.join(u", ")));
}

void TestDocs::relayDefaultsAreTheHelpDefaults_data()
{
    QTest::addColumn<QString>("doc");
    QTest::newRow("relay.md") << u"docs/relay.md"_qs;
    QTest::newRow("operations.md") << u"docs/operations.md"_qs;
}

void TestDocs::relayDefaultsAreTheHelpDefaults()
{
    QFETCH(QString, doc);
    QString markdown;
    QVERIFY(readSources({{doc, &markdown}}));
    const QList<QStringList> rows = tableRows(markdown, {u"flag"_qs});
    QVERIFY2(rows.size() >= 3, qPrintable(doc + QStringLiteral(" has no flag table")));
    const QMap<QString, QString> help = helpOf(u"grouploop-relay"_qs);
    int compared = 0;
    for (const QStringList &row : rows) {
        const QStringList flags = longFlags(row.value(0));
        const QString documented = row.value(2);
        if (flags.size() != 1 || documented.isEmpty())
            continue;
        const QString helpDefaultValue = helpDefault(help.value(flags.first()));
        if (helpDefaultValue.isEmpty())
            continue; // --help names no default for it: nothing to disagree with
        ++compared;
        QVERIFY2(sameDefault(documented, helpDefaultValue),
                 qPrintable(QStringLiteral("%1: --%2 defaults to %3, --help says %4")
                                .arg(doc, flags.first(), documented, helpDefaultValue)));
    }
    QVERIFY2(compared > 0, "no documented default could be compared with --help");
}

void TestDocs::simUsageDefaultsAreTheHelpDefaults()
{
    QString markdown;
    QVERIFY(readSources({{u"docs/simulator.md"_qs, &markdown}}));
    const auto usage = codeBlockAfter(markdown, u"## `grouploop-sim`"_qs);
    QVERIFY2(usage && usage->text.startsWith(u"grouploop-sim ["_qs), "simulator.md has no usage block");
    const QMap<QString, QString> help = helpOf(u"grouploop-sim"_qs);
    static const QRegularExpression option(QStringLiteral("\\[--([a-z-]+)\\s+([^\\]\\s|]+)"));
    int compared = 0;
    QRegularExpressionMatchIterator it = option.globalMatch(usage->text);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        const QString flag = match.captured(1);
        const QString shown = match.captured(2);
        bool number = false;
        shown.toDouble(&number);
        if (!number && !shown.contains(u"://"_qs))
            continue; // a placeholder (N, FILE) or a list of choices
        QVERIFY2(help.contains(flag), qPrintable(QStringLiteral("--help lacks --") + flag));
        const QString helpDefaultValue = helpDefault(help.value(flag));
        if (helpDefaultValue.isEmpty())
            continue;
        ++compared;
        QVERIFY2(sameDefault(shown, helpDefaultValue),
                 qPrintable(QStringLiteral("simulator.md: [--%1 %2], --help says default %3")
                                .arg(flag, shown, helpDefaultValue)));
    }
    QVERIFY2(compared >= 5, "too few defaults in simulator.md's usage block to compare");
}

void TestDocs::badFlag_data()
{
    QTest::addColumn<QString>("program");
    QTest::addColumn<QString>("doc");
    QTest::addColumn<QString>("sentence"); // captures the documented exit code
    QTest::addColumn<QString>("secondLine"); // a documented line after the error, if any
    QTest::newRow("relay") << u"grouploop-relay"_qs << u"docs/relay.md"_qs
                           << u"A bad flag or value prints one line to stderr and exits (\\d)"_qs
                           << QString();
    QTest::newRow("sim") << u"grouploop-sim"_qs << u"docs/simulator.md"_qs
                         << u"(\\d) bad flag or value \\(one line on stderr naming the flag\\)"_qs
                         << QString();
#ifdef GROUPLOOP_CONSOLE_BINARY
    QTest::newRow("console")
        << u"grouploop-console"_qs << u"docs/console.md"_qs
        << u"print one line,\\s+`grouploop-console: <problem> \\(see --help\\)`,\\s+and exit with code (\\d)"_qs
        << QString();
#endif
}

void TestDocs::badFlag()
{
    QFETCH(QString, program);
    QFETCH(QString, doc);
    QFETCH(QString, sentence);
    QFETCH(QString, secondLine);
    QString markdown;
    QVERIFY(readSources({{doc, &markdown}}));
    const QRegularExpressionMatch said = QRegularExpression(sentence).match(markdown);
    QVERIFY2(said.hasMatch(), qPrintable(doc + QStringLiteral(" no longer says what a bad flag does")));
    const Run bad = run(program, {u"--no-such-flag"_qs});
    QCOMPARE(bad.exitCode, said.captured(1).toInt());
    QStringList expected {u"no-such-flag"_qs};
    if (!secondLine.isEmpty())
        expected.append(said.captured(2));
    QCOMPARE(bad.errLines.size(), expected.size());
    QVERIFY2(bad.errLines.first().contains(expected.first()), qPrintable(bad.errLines.first()));
    if (expected.size() > 1)
        QCOMPARE(bad.errLines.at(1), expected.at(1));
}

void TestDocs::consoleBadValuesExitAsDocumented()
{
#ifndef GROUPLOOP_CONSOLE_BINARY
    QSKIP("built without the console");
#else
    QString markdown;
    QVERIFY(readSources({{u"docs/console.md"_qs, &markdown}}));
    const QString sentence = find(markdown, QStringLiteral("Bad flags \\(([^)]*)\\)"));
    QStringList examples; // the ones that are a flag and a value, e.g. `--relay-port 99999`
    for (const QString &span : inlineCode(sentence)) {
        if (span.startsWith(u"--"_qs) && span.contains(u' '))
            examples.append(span);
    }
    QVERIFY2(examples.size() >= 2, qPrintable(QStringLiteral("console.md's bad flags: ") + sentence));
    for (const QString &example : std::as_const(examples)) {
        const Run bad = run(u"grouploop-console"_qs, example.split(u' '));
        QVERIFY2(bad.exitCode == 2, qPrintable(example + QStringLiteral(" exited %1").arg(bad.exitCode)));
        QVERIFY2(!bad.errLines.isEmpty() && bad.errLines.first().contains(example.section(u' ', 0, 0)),
                 qPrintable(example + QStringLiteral(": ") + bad.errLines.join(u" / ")));
    }
#endif
}

void TestDocs::recordingExampleReadsAsDocumented()
{
    QString markdown;
    QVERIFY(readSources({{u"docs/recording.md"_qs, &markdown}}));
    const auto header = codeBlockAfter(markdown, u"**Line 1**"_qs);
    QVERIFY2(header && header->info == u"json", "recording.md has no header example");
    QStringList lines {header->text.trimmed()};
    for (const QStringList &row : tableRows(markdown, {u"type"_qs, u"data"_qs, u"example"_qs}))
        lines.append(withoutBackticks(row.value(2)));
    QVERIFY2(lines.size() >= 3, "recording.md's record table has no examples");

    QTemporaryDir dir;
    QFile session(dir.filePath(u"example.session"_qs));
    QVERIFY(session.open(QIODevice::WriteOnly));
    session.write(lines.join(u'\n').toUtf8() + '\n');
    session.close();
    const QString csvPath = dir.filePath(u"example.csv"_qs);
    const Run replay
        = run(u"grouploop-sim"_qs, {u"--replay"_qs, session.fileName(), u"--export-csv"_qs, csvPath});
    QVERIFY2(replay.exitCode == 0 && replay.errLines.isEmpty(),
             qPrintable(QStringLiteral("the documented example is not a clean session file: ")
                        + replay.errLines.join(u" / ")));

    // The CSV the doc shows is what the reader makes of the doc's records.
    const auto csvExample = codeBlockAfter(markdown, u"writes one row per frame"_qs);
    QVERIFY2(csvExample, "recording.md has no CSV example");
    QString why;
    const auto written = readFile(csvPath, &why);
    QVERIFY2(written, qPrintable(why));
    QCOMPARE(written->trimmed(), csvExample->text.trimmed());
}

void TestDocs::notASessionIsRefusedAsDocumented()
{
    QString recording, simulator;
    QVERIFY(readSources({{u"docs/recording.md"_qs, &recording}, {u"docs/simulator.md"_qs, &simulator}}));
    QString message;
    for (const QString &span : inlineCode(recording)) {
        if (span.contains(u"not a GroupLoop session file"_qs))
            message = span;
    }
    QVERIFY2(!message.isEmpty(), "recording.md no longer shows the message for a file that is not a session");
    const QString file = message.section(u':', 0, 0); // notes.txt
    const QString code = find(simulator, QStringLiteral("a file that is not a session exits (\\d)"));
    QVERIFY2(!code.isEmpty(),
             "simulator.md no longer says how --replay exits on a file that is not a session");

    QTemporaryDir dir;
    QFile notes(dir.filePath(file));
    QVERIFY(notes.open(QIODevice::WriteOnly));
    notes.write("shopping list\n");
    notes.close();
    const Run replay
        = run(u"grouploop-sim"_qs, {u"--replay"_qs, file, u"--export-csv"_qs, u"out.csv"_qs}, dir.path());
    QCOMPARE(replay.exitCode, code.toInt());
    QCOMPARE(replay.errLines.size(), 1);
    QVERIFY2(replay.errLines.first().endsWith(message), qPrintable(replay.errLines.first()));
}

void TestDocs::conformanceCasesAsDocumented()
{
    QString conformance, reliability, source;
    QVERIFY(readSources({{u"docs/conformance.md"_qs, &conformance},
                         {u"docs/reliability.md"_qs, &reliability},
                         {u"tests/relay/tst_conformance.cpp"_qs, &source}}));
    QSet<QString> documented;
    for (const QStringList &row : tableRows(conformance, {u"case"_qs})) {
        documented.insert(row.value(0));
        QVERIFY2(row.last() == u"pass", qPrintable(row.join(u" | ")));
    }
    QSet<QString> tested;
    static const QRegularExpression id(QStringLiteral("\\{\"(\\d+(?:\\.\\d+)+)\","));
    QRegularExpressionMatchIterator it = id.globalMatch(source);
    while (it.hasNext())
        tested.insert(it.next().captured(1));
    QCOMPARE(documented, tested);
    const QString count = QString::number(tested.size());
    QCOMPARE(find(conformance, QStringLiteral("(\\d+) cases: all \\d+ pass")), count);
    QCOMPARE(find(conformance, QStringLiteral("\\d+ cases: all (\\d+) pass")), count);
    QCOMPARE(find(reliability, QStringLiteral("(\\d+) Autobahn-style server cases")), count);
    QCOMPARE(find(reliability, QStringLiteral("all (\\d+) pass")), count);
}

void TestDocs::fuzzTargetsAsDocumented()
{
    QString reliability, readme, fuzzCmake, quickstart;
    QVERIFY(readSources({{u"docs/reliability.md"_qs, &reliability},
                         {u"README.md"_qs, &readme},
                         {u"tests/fuzz/CMakeLists.txt"_qs, &fuzzCmake},
                         {u"deploy/quickstart.sh"_qs, &quickstart}}));
    const QStringList targets = find(fuzzCmake, QStringLiteral("set\\(targets ([a-z ]+)\\)")).split(u' ');
    QVERIFY(targets.size() >= 2);
    QStringList binaries;
    for (const QString &target : targets)
        binaries.append(QStringLiteral("fuzz_") + target);
    std::sort(binaries.begin(), binaries.end());

    QStringList documented;
    for (const QStringList &row : tableRows(reliability, {u"target"_qs, u"code under test"_qs}))
        documented.append(withoutBackticks(row.value(0)));
    std::sort(documented.begin(), documented.end());
    QCOMPARE(documented, binaries);

    // The long-run commands in reliability.md and the test command build and run every target.
    QStringList longRun = find(reliability, QStringLiteral("for t in ([a-z ]+); do")).split(u' ');
    std::sort(longRun.begin(), longRun.end());
    QStringList sortedTargets = targets;
    std::sort(sortedTargets.begin(), sortedTargets.end());
    QCOMPARE(longRun, sortedTargets);
    for (const QString &text : {reliability, quickstart}) {
        QStringList built
            = find(text, QStringLiteral("--target ((?:fuzz_[a-z]+ ?)+)")).split(u' ', Qt::SkipEmptyParts);
        std::sort(built.begin(), built.end());
        QCOMPARE(built, binaries);
    }
    // Seconds per target in the test command, as the README and reliability.md say.
    const QString seconds = find(quickstart, QStringLiteral("GROUPLOOP_FUZZ_SECONDS:-(\\d+)"));
    QVERIFY(!seconds.isEmpty());
    QCOMPARE(find(readme, QStringLiteral("runs\\s+each for (\\d+) s")), seconds);
    QCOMPARE(find(reliability, QStringLiteral("runs each for (\\d+) s")), seconds);
}

void TestDocs::builtInCommandsAsDocumented()
{
    QString protocol, registry;
    QVERIFY(readSources({{u"docs/protocol.md"_qs, &protocol}, {u"resources/commands.json"_qs, &registry}}));
    const QJsonObject commands
        = QJsonDocument::fromJson(registry.toUtf8()).object().value(u"commands").toObject();
    QVERIFY(!commands.isEmpty());
    // "The relay ships the 12 firmware commands built in (`resources/commands.json`): `led` (color), ..."
    const QString sentence
        = find(protocol, QStringLiteral("ships the\\s+(\\d+\\s+firmware commands[\\s\\S]*?)\\.\\s+A file"))
              .simplified();
    QVERIFY2(!sentence.isEmpty(), "protocol.md no longer lists the built-in commands");
    QCOMPARE(sentence.section(u' ', 0, 0).toInt(), commands.size());
    static const QRegularExpression entry(QStringLiteral("`([a-z_]+)`(?: \\(([a-z, ]+)\\))?"));
    QStringList documented;
    QRegularExpressionMatchIterator it = entry.globalMatch(sentence);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        const QString name = match.captured(1);
        documented.append(name);
        QStringList parameters;
        for (const QJsonValue &parameter : commands.value(name).toObject().value(u"parameters").toArray())
            parameters.append(parameter.toString());
        QCOMPARE(match.captured(2), parameters.join(u", "_qs));
    }
    std::sort(documented.begin(), documented.end());
    QCOMPARE(documented, commands.keys()); // keys() is sorted
}

void TestDocs::linksResolve_data()
{
    addRows("doc", docFiles());
}

void TestDocs::linksResolve()
{
    QFETCH(QString, doc);
    QString markdown;
    QVERIFY(readSources({{doc, &markdown}}));
    const QDir base = QFileInfo(SourceDir + u'/' + doc).dir();
    static const QRegularExpression link(QStringLiteral("\\]\\(([^)#\\s:]*)(?:#([^)\\s]+))?\\)"));
    QRegularExpressionMatchIterator it = link.globalMatch(markdown);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        const QString target = match.captured(1).isEmpty() ? doc : base.filePath(match.captured(1));
        const QString path = QDir::isAbsolutePath(target) ? target : SourceDir + u'/' + target;
        QVERIFY2(QFileInfo::exists(path), qPrintable(doc + QStringLiteral(": no file ") + match.captured(1)));
        const QString anchor = match.captured(2);
        if (anchor.isEmpty())
            continue;
        const QString linked = sourceFile(QDir(SourceDir).relativeFilePath(path));
        QVERIFY2(headingAnchors(linked).contains(anchor),
                 qPrintable(doc + QStringLiteral(": no heading for #") + anchor + QStringLiteral(" in ")
                            + match.captured(1)));
    }
}

QTEST_GUILESS_MAIN(TestDocs)
#include "tst_docs.moc"
