#include "helpentries.h"

#include <QRegularExpression>

namespace GroupLoop::Testing {

QMap<QString, HelpEntry> helpEntries(const QString &helpText)
{
    // "  -h, --help  Text" or "  --name <value>  Text", then lines indented to the text column.
    static const QRegularExpression optionLine(
        QStringLiteral("^  (?:-\\w, )?--([\\w-]+)(?: <([^>]+)>)?\\s+(.*)$"));
    QMap<QString, HelpEntry> entries;
    QString current;
    const QStringList lines = helpText.split(u'\n');
    for (const QString &line : lines) {
        const QRegularExpressionMatch match = optionLine.match(line);
        if (match.hasMatch()) {
            current = match.captured(1);
            entries.insert(current, {match.captured(2), match.captured(3).trimmed()});
        } else if (!current.isEmpty() && line.startsWith(QLatin1String("    "))) {
            entries[current].text += u' ' + line.trimmed();
        } else {
            current.clear();
        }
    }
    return entries;
}

QString shownDefault(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("[(;] ?default ([^)]+)\\)"));
    return pattern.match(text).captured(1);
}

QStringList optionsBreakingDefaults(const QString &helpText, const QStringList &none, int *checked)
{
    QStringList broken;
    *checked = 0;
    const QMap<QString, HelpEntry> entries = helpEntries(helpText);
    for (auto it = entries.cbegin(); it != entries.cend(); ++it) {
        if (it->valueName.isEmpty())
            continue; // a switch
        ++*checked;
        if (none.contains(it.key()) != shownDefault(it->text).isEmpty())
            broken.append(it.key() + QStringLiteral(": ") + it->text);
    }
    return broken;
}

} // namespace GroupLoop::Testing
