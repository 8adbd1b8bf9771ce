#include "network.h"

#include <QHostAddress>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>

namespace GroupLoop::Testing {

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        qFatal("no free loopback port: %s", qPrintable(probe.errorString()));
    return probe.serverPort();
}

bool portAccepts(quint16 port, int timeoutMs)
{
    QTcpSocket probe;
    probe.connectToHost(QHostAddress::LocalHost, port);
    return probe.waitForConnected(timeoutMs);
}

QByteArray exchange(const QString &host, quint16 port, const QByteArray &request,
                    const std::function<bool(const QByteArray &)> &complete)
{
    QTcpSocket socket;
    socket.connectToHost(host, port);
    if (!socket.waitForConnected(2000))
        return {};
    socket.write(request);
    QByteArray answer;
    while (!(complete && complete(answer)) && socket.waitForReadyRead(2000))
        answer += socket.readAll();
    return answer + socket.readAll();
}

QUrl wsUrl(quint16 loopbackPort)
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(loopbackPort));
}

QByteArray httpGet(const QUrl &server, const QByteArray &path)
{
    const QByteArray request
        = "GET " + path + " HTTP/1.1\r\nHost: " + server.host().toUtf8() + "\r\nConnection: close\r\n\r\n";
    QByteArray answer;
    if (server.scheme() == u"wss" || server.scheme() == u"https") {
        // A test relay's own certificate: unverified, only its answers matter here.
        QSslSocket socket;
        socket.setPeerVerifyMode(QSslSocket::VerifyNone);
        socket.connectToHostEncrypted(server.host(), quint16(server.port(443)));
        if (!socket.waitForEncrypted(2000))
            return {};
        socket.write(request);
        while (socket.waitForReadyRead(2000))
            answer += socket.readAll();
        answer += socket.readAll();
    } else {
        answer = exchange(server.host(), quint16(server.port(80)), request);
    }
    const qsizetype body = answer.indexOf("\r\n\r\n");
    return body < 0 ? QByteArray() : answer.mid(body + 4);
}

QByteArray httpGet(quint16 loopbackPort, const QByteArray &path)
{
    QUrl server;
    server.setScheme(QStringLiteral("http"));
    server.setHost(QStringLiteral("127.0.0.1"));
    server.setPort(loopbackPort);
    return httpGet(server, path);
}

} // namespace GroupLoop::Testing
