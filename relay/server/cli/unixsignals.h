// UnixSignals: turns SIGINT and SIGTERM into a Qt signal on the main thread (self-pipe).
#pragma once

#include <QObject>

class QSocketNotifier;

namespace GroupLoop {

class UnixSignals : public QObject
{
    Q_OBJECT
public:
    explicit UnixSignals(QObject *parent = nullptr);
    ~UnixSignals() override;

Q_SIGNALS:
    void terminationRequested(int signal);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace GroupLoop
