// WebRootPath: turns the path of a URL into a file inside a root folder, or refuses. Nothing
// outside the root is ever named: ".." and "." in any spelling (raw, percent-encoded, mixed)
// and malformed escapes, NUL bytes, backslashes and invalid UTF-8 are bad requests; dotfiles
// and anything whose real path (symlinks followed) leaves the root are not found. A fuzz
// target (tests/fuzz/fuzz_webrootpath.cpp) holds it to that.
#pragma once

#include <QByteArrayView>
#include <QString>
#include <QStringList>

#include <optional>

namespace GroupLoop::WebRootPath {

enum class Verdict {
    File, // `file` is the canonical path of a readable regular file inside the root
    Folder, // a folder inside the root asked for without its trailing '/': redirect to it
    NotFound, // 404
    BadRequest, // 400: a spelling no honest client sends
};

struct Resolved
{
    Verdict verdict = Verdict::NotFound;
    QString file;
};

// The URL path's segments, percent-decoded once, empty ones dropped; nullopt for a bad request.
// Dotfiles are not judged here (resolve() answers them 404).
std::optional<QStringList> segments(QByteArrayView urlPath);

// urlPath: what follows the route's prefix, as sent ("vendor/js/p5.min.js", "%2e%2e/x").
// canonicalRoot: the root folder's canonical path (QFileInfo::canonicalFilePath()).
// indexFile: what a folder path ending in '/' serves ("index.html"); empty: folders are 404.
Resolved resolve(QByteArrayView urlPath, const QString &canonicalRoot, const QString &indexFile = {});

} // namespace GroupLoop::WebRootPath
