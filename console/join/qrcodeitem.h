// QrCodeItem: draws `text` as a QR code (libqrencode, error correction M) with its quiet zone,
// dark modules on light whatever the theme, so phone cameras read it. QrCode::encode is the
// pure half (tests check the matrix).
#pragma once

#include <QByteArray>
#include <QQuickPaintedItem>
#include <QtQml/qqmlregistration.h>

#include <optional>

namespace GroupLoop {

namespace QrCode {

struct Matrix
{
    int size = 0; // modules per side, without the quiet zone
    QByteArray dark; // size * size bytes, row by row: 1 dark, 0 light
    bool isDark(int x, int y) const { return dark.at(y * size + x) != 0; }
};

constexpr int QuietZoneModules = 4;

// nullopt for text that does not fit a QR code (or empty text).
std::optional<Matrix> encode(const QByteArray &utf8);

} // namespace QrCode

class QrCodeItem : public QQuickPaintedItem
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString text READ text WRITE setText NOTIFY textChanged)
    Q_PROPERTY(int modules READ modules NOTIFY textChanged) // 0: nothing to draw
public:
    explicit QrCodeItem(QQuickItem *parent = nullptr);

    QString text() const { return m_text; }
    void setText(const QString &text);
    int modules() const { return m_matrix ? m_matrix->size : 0; }

    void paint(QPainter *painter) override;

Q_SIGNALS:
    void textChanged();

private:
    QString m_text;
    std::optional<QrCode::Matrix> m_matrix;
};

} // namespace GroupLoop
