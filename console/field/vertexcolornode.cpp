#include "vertexcolornode.h"

#include <QSGGeometryNode>
#include <QSGVertexColorMaterial>

#include <cstring>

namespace GroupLoop {

QSGGeometryNode *updateVertexColorNode(QSGNode *oldNode, const std::vector<FieldGeometry::Vertex> &vertices)
{
    auto *node = static_cast<QSGGeometryNode *>(oldNode);
    if (!node) {
        node = new QSGGeometryNode;
        auto *geometry = new QSGGeometry(QSGGeometry::defaultAttributes_ColoredPoint2D(), 0);
        geometry->setDrawingMode(QSGGeometry::DrawTriangles);
        geometry->setVertexDataPattern(QSGGeometry::StreamPattern);
        node->setGeometry(geometry);
        node->setFlag(QSGNode::OwnsGeometry);
        node->setMaterial(new QSGVertexColorMaterial);
        node->setFlag(QSGNode::OwnsMaterial);
    }
    QSGGeometry *geometry = node->geometry();
    if (geometry->vertexCount() != int(vertices.size()))
        geometry->allocate(int(vertices.size()));
    if (!vertices.empty())
        std::memcpy(geometry->vertexData(), vertices.data(), vertices.size() * sizeof(FieldGeometry::Vertex));
    node->markDirty(QSGNode::DirtyGeometry);
    return node;
}

} // namespace GroupLoop
