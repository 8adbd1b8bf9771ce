#include "qrcodeitem.h"

#include <QPainter>

#include <qrencode.h>

namespace GroupLoop {

std::optional<QrCode::Matrix> QrCode::encode(const QByteArray &utf8)
{
    if (utf8.isEmpty())
        return std::nullopt;
    QRcode *code = QRcode_encodeData(
        int(utf8.size()), reinterpret_cast<const unsigned char *>(utf8.constData()), 0, QR_ECLEVEL_M);
    if (!code)
        return std::nullopt;
    Matrix matrix;
    matrix.size = code->width;
    matrix.dark.resize(qsizetype(code->width) * code->width);
    for (qsizetype i = 0; i < matrix.dark.size(); ++i)
        matrix.dark[i] = char(code->data[i] & 1); // bit 0: dark module; the rest is libqrencode's bookkeeping
    QRcode_free(code);
    return matrix;
}

QrCodeItem::QrCodeItem(QQuickItem *parent)
    : QQuickPaintedItem(parent)
{
    setAntialiasing(false); // crisp module edges
}

void QrCodeItem::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    m_matrix = QrCode::encode(text.toUtf8());
    Q_EMIT textChanged();
    update();
}

void QrCodeItem::paint(QPainter *painter)
{
    const qreal side = qMin(width(), height());
    painter->fillRect(QRectF(0, 0, side, side), Qt::white);
    if (!m_matrix)
        return;
    const int total = m_matrix->size + 2 * QrCode::QuietZoneModules;
    // Whole pixels per module where the item is large enough: scanners like even modules.
    const qreal module = side >= total ? qFloor(side / total) : side / total;
    const qreal offset = (side - module * total) / 2 + module * QrCode::QuietZoneModules;
    for (int y = 0; y < m_matrix->size; ++y) {
        for (int x = 0; x < m_matrix->size; ++x) {
            if (m_matrix->isDark(x, y))
                painter->fillRect(QRectF(offset + x * module, offset + y * module, module, module),
                                  Qt::black);
        }
    }
}

} // namespace GroupLoop
