// A Mapping as JSON, the shape of one entry of an outputs file's "mappings" list
// (docs/outputs.md, "Outputs files").
#pragma once

#include "mapping.h"

#include <QJsonObject>
#include <QJsonValue>

#include <optional>

namespace GroupLoop::MappingJson {

QJsonObject toJson(const Mapping &mapping);
// Reads and validates one mapping; on failure *error is "<path>.<field>: <reason>".
std::optional<Mapping> fromJson(const QJsonValue &value, const QString &path, QString *error);

} // namespace GroupLoop::MappingJson
