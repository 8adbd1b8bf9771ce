// The one scene-graph node both field items draw with: coloured triangles, per-vertex colour,
// rebuilt from FieldGeometry::Vertex data on every change.
#pragma once

#include "fieldgeometry.h"

#include <QColor>

#include <vector>

class QSGGeometryNode;
class QSGNode;

namespace GroupLoop {

// Returns `oldNode`, or a new node set up for streamed, per-vertex-coloured triangles,
// with the vertices uploaded and the geometry marked dirty.
QSGGeometryNode *updateVertexColorNode(QSGNode *oldNode, const std::vector<FieldGeometry::Vertex> &vertices);

// The colour setters of both field items: a changed colour is stored, announced with the
// item's styleChanged() and repainted; the same colour again does nothing.
template<typename FieldItem> void setFieldColor(FieldItem *item, QColor &member, const QColor &value)
{
    if (value == member)
        return;
    member = value;
    Q_EMIT item->styleChanged();
    item->update();
}

} // namespace GroupLoop
