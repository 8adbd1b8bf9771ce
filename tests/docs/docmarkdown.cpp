#include "docmarkdown.h"

#include <QFile>
#include <QRegularExpression>

namespace GroupLoop::DocCheck {

namespace {

// Markdown without its fenced blocks (their lines blanked, so line numbers stay).
QString outsideFences(const QString &markdown)
{
    QStringList lines = markdown.split(u'\n');
    bool inFence = false;
    for (QString &line : lines) {
        const bool fence = line.trimmed().startsWith(QLatin1String("```"));
        if (fence || inFence)
            line.clear();
        if (fence)
            inFence = !inFence;
    }
    return lines.join(u'\n');
}

// A command's text after the program's name, cut where the shell starts something else.
QString argumentsAfter(const QString &line, qsizetype end)
{
    QString rest = line.mid(end);
    static const QRegularExpression stop(QStringLiteral(R"(\s#\s|\s#$|&&|;|\s&(\s|$))"));
    const QRegularExpressionMatch match = stop.match(rest);
    if (match.hasMatch())
        rest.truncate(match.capturedStart());
    return rest.trimmed();
}

void collectCommands(const QString &line, const QString &program, QStringList *out)
{
    // The name alone, not grouploop-relay.service, grouploop-relay_0.1.0.deb or "grouploop-sim:".
    const QRegularExpression name(
        QStringLiteral(R"((?:^|[\s/=(])%1(?=\s|$))").arg(QRegularExpression::escape(program)));
    QRegularExpressionMatchIterator it = name.globalMatch(line);
    while (it.hasNext())
        out->append(argumentsAfter(line, it.next().capturedEnd()));
}

} // namespace

std::optional<QString> readFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = path + QStringLiteral(": ") + file.errorString();
        return std::nullopt;
    }
    return QString::fromUtf8(file.readAll());
}

QList<CodeBlock> codeBlocks(const QString &markdown)
{
    QList<CodeBlock> blocks;
    const QStringList lines = markdown.split(u'\n');
    std::optional<CodeBlock> open;
    QStringList body;
    for (int i = 0; i < lines.size(); ++i) {
        const QString trimmed = lines[i].trimmed();
        if (!trimmed.startsWith(QLatin1String("```"))) {
            if (open)
                body.append(lines[i]);
            continue;
        }
        if (open) {
            open->text = body.join(u'\n');
            blocks.append(*open);
            open.reset();
        } else {
            open = CodeBlock {trimmed.mid(3).trimmed(), QString(), i + 1};
            body.clear();
        }
    }
    return blocks;
}

std::optional<CodeBlock> codeBlockAfter(const QString &markdown, const QString &after)
{
    const qsizetype at = markdown.indexOf(after);
    if (at < 0)
        return std::nullopt;
    const int line = int(markdown.left(at).count(u'\n')) + 1;
    for (const CodeBlock &block : codeBlocks(markdown)) {
        if (block.line > line)
            return block;
    }
    return std::nullopt;
}

QStringList inlineCode(const QString &markdown)
{
    QStringList spans;
    static const QRegularExpression span(QStringLiteral("`([^`]+)`"));
    QRegularExpressionMatchIterator it = span.globalMatch(outsideFences(markdown));
    while (it.hasNext())
        spans.append(it.next().captured(1).replace(u'\n', u' ').simplified());
    return spans;
}

QList<QStringList> tableRows(const QString &markdown, const QStringList &headerStart)
{
    QList<QStringList> rows;
    bool inTable = false;
    for (const QString &line : markdown.split(u'\n')) {
        const QString trimmed = line.trimmed();
        if (!trimmed.startsWith(u'|')) {
            if (inTable)
                break;
            continue;
        }
        QStringList cells = trimmed.mid(1, trimmed.size() - (trimmed.endsWith(u'|') ? 2 : 1)).split(u'|');
        for (QString &cell : cells)
            cell = cell.trimmed();
        if (!inTable) {
            inTable = cells.mid(0, headerStart.size()) == headerStart;
            continue;
        }
        if (!cells.value(0).startsWith(QLatin1String("---")))
            rows.append(cells);
    }
    return rows;
}

QString withoutBackticks(const QString &text)
{
    QString out = text;
    return out.remove(u'`').trimmed();
}

QStringList headingAnchors(const QString &markdown)
{
    QStringList anchors;
    for (const QString &line : outsideFences(markdown).split(u'\n')) {
        if (!line.startsWith(u'#'))
            continue;
        QString anchor;
        for (const QChar c : line.section(u' ', 1).trimmed().toLower()) {
            if (c.isLetterOrNumber() || c == u'-' || c == u'_')
                anchor += c;
            else if (c == u' ')
                anchor += u'-';
        }
        anchors.append(anchor);
    }
    return anchors;
}

QStringList commandsOf(const QString &markdown, const QString &program)
{
    QStringList commands;
    for (const CodeBlock &block : codeBlocks(markdown)) {
        QStringList joined;
        for (const QString &line : block.text.split(u'\n')) {
            const QString trimmed = line.trimmed();
            const bool continues = !joined.isEmpty()
                && (joined.constLast().endsWith(u'\\') || trimmed.startsWith(QLatin1String("[--"))
                    || trimmed.startsWith(QLatin1String("--")));
            if (continues) {
                QString &last = joined.last();
                if (last.endsWith(u'\\'))
                    last.chop(1);
                last += u' ' + trimmed;
            } else {
                joined.append(line);
            }
        }
        for (const QString &line : joined)
            collectCommands(line, program, &commands);
    }
    for (const QString &span : inlineCode(markdown))
        collectCommands(span, program, &commands);
    return commands;
}

QStringList longFlags(const QString &text)
{
    QStringList flags;
    static const QRegularExpression flag(QStringLiteral(R"((?:^|[\s\[(|`])--([a-z][a-z0-9-]*))"));
    QRegularExpressionMatchIterator it = flag.globalMatch(text);
    while (it.hasNext()) {
        const QString name = it.next().captured(1);
        if (!flags.contains(name))
            flags.append(name);
    }
    return flags;
}

QMap<QString, QString> helpEntries(const QString &helpText)
{
    QMap<QString, QString> entries;
    QStringList current;
    static const QRegularExpression names(QStringLiteral(R"(--([a-z][a-z0-9-]*))"));
    static const QRegularExpression gap(QStringLiteral(R"(\S\s{2,}\S)"));
    for (const QString &line : helpText.split(u'\n')) {
        const QString trimmed = line.trimmed();
        if (line.startsWith(QLatin1String("  -"))) { // a wrapped description is indented further
            // "  -h, --help    Displays ...": the names end where the description column starts.
            const QRegularExpressionMatch split = gap.match(trimmed);
            const qsizetype end = split.hasMatch() ? split.capturedStart() + 1 : trimmed.size();
            current.clear();
            QRegularExpressionMatchIterator it = names.globalMatch(trimmed.left(end));
            while (it.hasNext())
                current.append(it.next().captured(1));
            for (const QString &name : std::as_const(current))
                entries[name] = trimmed.mid(end).trimmed();
        } else if (!trimmed.isEmpty() && !current.isEmpty() && line.startsWith(QLatin1String("    "))) {
            for (const QString &name : std::as_const(current))
                entries[name] += u' ' + trimmed;
        } else {
            current.clear();
        }
    }
    return entries;
}

QString helpDefault(const QString &description)
{
    static const QRegularExpression pattern(QStringLiteral(R"(\bdefault:?\s+([^\s,;]+))"),
                                            QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = pattern.match(description);
    if (!match.hasMatch())
        return {};
    QString value = match.captured(1);
    while (!value.isEmpty() && QStringLiteral(").,;").contains(value.back()))
        value.chop(1);
    return value;
}

bool sameDefault(const QString &documented, const QString &help)
{
    const QString doc = withoutBackticks(documented);
    if (help == doc || (help.endsWith(u':') && help.chopped(1) == doc))
        return true;
    bool docNumber = false;
    bool helpNumber = false;
    const double a = QString(doc).remove(u',').toDouble(&docNumber);
    const double b = (help.endsWith(u':') ? help.chopped(1) : help).toDouble(&helpNumber);
    return docNumber && helpNumber && a == b;
}

} // namespace GroupLoop::DocCheck
