// The options of a program's --help (as QCommandLineParser writes it), for tests that check
// what the help says about each flag.
#pragma once

#include <QMap>
#include <QString>
#include <QStringList>

namespace GroupLoop::Testing {

struct HelpEntry
{
    QString valueName; // "bytes" for "--max-message-bytes <bytes>"; empty for a switch
    QString text; // the description, its wrapped lines joined
};

// By long name without dashes: "max-message-bytes".
QMap<QString, HelpEntry> helpEntries(const QString &helpText);

// The X of "(default X)" or "; default X)" in a description; empty if it states none.
QString shownDefault(const QString &text);

// Checks that every option taking a value shows its default, except those in `none` (their
// absence is the default), which show none. Returns the options that break this ("name: text");
// *checked is how many options with a value there were.
QStringList optionsBreakingDefaults(const QString &helpText, const QStringList &none, int *checked);

} // namespace GroupLoop::Testing
