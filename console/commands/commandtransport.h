// CommandTransport: where the command controller hands `cmd:` messages. The relay client is
// the real one; tests use a fake that records what was sent and answers like a relay.
// Each send carries a token; the transport answers every token exactly once, with either
// the relay's reply or a reason it could not get one.
#pragma once

#include <QObject>
#include <QString>

namespace GroupLoop {

class CommandTransport : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual bool isReady() const = 0;
    virtual void sendCommandText(quint64 token, const QString &text) = 0;

Q_SIGNALS:
    void commandReplied(quint64 token, const QString &reply);
    void commandFailed(quint64 token, const QString &reason);
    void readyChanged();
};

} // namespace GroupLoop
