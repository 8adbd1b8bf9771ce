// OutputDestinationModel: the Outputs view's OSC destinations, one row per destination of the
// OutputsEngine's sender, with its status line and counters. Destinations given on the command
// line (--osc-out) are marked: they belong to this run and are never written to the outputs file.
#pragma once

#include <QAbstractListModel>
#include <QPointer>
#include <QSet>
#include <QtQml/qqmlregistration.h>

namespace GroupLoop {

class OscSender;

class OutputDestinationModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by the OutputsController")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

public:
    enum Role {
        LabelRole = Qt::UserRole + 1,
        StatusRole, // 0 resolving, 1 sending, 2 error (OscSender::Status)
        StatusTextRole,
        DatagramsRole,
        DroppedRole,
        DefaultSchemeRole,
        MappingsRole,
        BundlesRole,
        CommandLineRole
    };

    explicit OutputDestinationModel(OscSender *sender, QObject *parent = nullptr);

    // Labels (host:port) of the destinations that came from --osc-out.
    void setCommandLine(const QSet<QString> &labels);
    bool isCommandLine(int row) const;
    // The counters move every tick; the view asks for them at its own pace.
    void refreshCounters();

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void countChanged();

private:
    QPointer<OscSender> m_sender;
    QSet<QString> m_commandLine;
    int m_rows = 0;
};

} // namespace GroupLoop
