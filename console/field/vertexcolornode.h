// The one scene-graph node both field items draw with: coloured triangles, per-vertex colour,
// rebuilt from FieldGeometry::Vertex data on every change.
#pragma once

#include "fieldgeometry.h"

#include <vector>

class QSGGeometryNode;
class QSGNode;

namespace GroupLoop {

// Returns `oldNode`, or a new node set up for streamed, per-vertex-coloured triangles,
// with the vertices uploaded and the geometry marked dirty.
QSGGeometryNode *updateVertexColorNode(QSGNode *oldNode, const std::vector<FieldGeometry::Vertex> &vertices);

} // namespace GroupLoop
