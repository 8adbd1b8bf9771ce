// Reading the project's Markdown for tst_docs: fenced code blocks, inline code, tables, and the
// command lines that run one of our programs, so the test checks what the docs really say.
#pragma once

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace GroupLoop::DocCheck {

struct CodeBlock
{
    QString info; // the word after the opening fence (sh, json, ...), may be empty
    QString text; // the lines between the fences
    int line = 0; // 1-based line of the opening fence
};

// The file's text, or nullopt (with *error) when it cannot be read.
std::optional<QString> readFile(const QString &path, QString *error);

QList<CodeBlock> codeBlocks(const QString &markdown);
// The first fenced block that starts after the first occurrence of `after`.
std::optional<CodeBlock> codeBlockAfter(const QString &markdown, const QString &after);
// `spans` outside fenced blocks; a span may wrap onto the next line (joined with a space).
QStringList inlineCode(const QString &markdown);
// The body rows of the first table whose header row starts with these cells (trimmed cells).
QList<QStringList> tableRows(const QString &markdown, const QStringList &headerStart);
QString withoutBackticks(const QString &text);
// The anchors GitHub gives the headings: lower case, spaces to '-', punctuation dropped.
QStringList headingAnchors(const QString &markdown);

// Every command that runs `program` (with any path before it), from fenced blocks (lines ending
// in a backslash, and lines that start with "[--" or "--", joined to the line before) and from
// inline code, as the text after the program's name up to a comment, `&`, `&&` or `;`.
QStringList commandsOf(const QString &markdown, const QString &program);
// Every --long-flag in `text`, in order of first appearance.
QStringList longFlags(const QString &text);

// QCommandLineParser's help text as flag name (without dashes) -> its description on one line.
QMap<QString, QString> helpEntries(const QString &helpText);
// What a help description gives as the default ("default 8", "(default: 8)", "Default: x."),
// without trailing punctuation; empty when it names none.
QString helpDefault(const QString &description);
// A documented default against the help's: equal as text or as numbers; "0:" matches "0".
bool sameDefault(const QString &documented, const QString &help);

} // namespace GroupLoop::DocCheck
