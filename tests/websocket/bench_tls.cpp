// Benchmark: the TLS engine (TlsSession). Prints
//  - full handshakes per second, client and server in one thread in memory (the CPU both
//    ends spend), for EC P-256 and RSA 2048 server keys;
//  - handshakes per second over loopback TCP: a server thread and a client thread, each doing
//    blocking recv()/send() with its own session (what the relay and a client see, syscalls
//    and scheduling included);
//  - what an idle session keeps: OpenSSL's live heap per server and per client session after
//    a handshake and 40 KB each way, counted through CRYPTO_set_mem_functions, and the C
//    library's view (mallinfo2) of the same sessions;
//  - encryption and decryption throughput for one sensor frame line and for 16 KiB records.
// Figures go to docs/performance.md. Usage: bench_tls [seconds per measurement, default 2].
#include "opensslheap.h"
#include "testcerts.h"
#include "tlscontext.h"
#include "tlssession.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <openssl/crypto.h>

#include <arpa/inet.h>
#include <malloc.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

using namespace GroupLoop;
using namespace GroupLoop::Testing;

namespace {

// Moves bytes between a client and a server session until both are quiet.
bool handshakeInMemory(TlsSession &client, TlsSession &server, QByteArray &plain)
{
    QByteArray toServer;
    QByteArray toClient;
    client.start(toServer);
    while (!toServer.isEmpty() || !toClient.isEmpty()) {
        server.feed(std::exchange(toServer, {}), plain, toClient);
        client.feed(std::exchange(toClient, {}), plain, toServer);
    }
    return client.isOpen() && server.isOpen();
}

void inMemoryHandshakes(const char *label, const TlsContext &clientContext, const TlsContext &serverContext,
                        double seconds)
{
    QElapsedTimer timer;
    timer.start();
    int count = 0;
    QByteArray plain;
    while (timer.elapsed() < seconds * 1000) {
        TlsSession client(clientContext, QStringLiteral("localhost"));
        TlsSession server(serverContext);
        if (!handshakeInMemory(client, server, plain)) {
            std::printf("bench_tls in-memory %s: handshake failed: %s\n", label,
                        qPrintable(client.errorString() + server.errorString()));
            return;
        }
        ++count;
    }
    const double elapsed = double(timer.nsecsElapsed()) / 1e9;
    std::printf("bench_tls in-memory handshakes %-18s %7.0f /s (client + server on one core, %.0f us each)\n",
                label, count / elapsed, elapsed / count * 1e6);
}

// Blocking I/O for one session over a connected socket: send what is pending, read until the
// session is open (or failed).
bool driveHandshake(int fd, TlsSession &session, QByteArray &out, QByteArray &plain)
{
    char buffer[16384];
    for (;;) {
        if (!out.isEmpty()) {
            if (::send(fd, out.constData(), size_t(out.size()), MSG_NOSIGNAL) != out.size())
                return false;
            out.clear();
        }
        if (session.state() != TlsSession::State::Handshaking)
            return session.isOpen();
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0)
            return false;
        session.feed(QByteArrayView(buffer, n), plain, out);
    }
}

void loopbackHandshakes(const char *label, const TlsContext &clientContext, const TlsContext &serverContext,
                        double seconds)
{
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(listener, reinterpret_cast<sockaddr *>(&address), length) != 0 || ::listen(listener, 64) != 0
        || ::getsockname(listener, reinterpret_cast<sockaddr *>(&address), &length) != 0) {
        std::printf("bench_tls loopback: cannot listen\n");
        ::close(listener);
        return;
    }
    std::atomic<bool> stop {false};
    std::atomic<int> served {0};
    std::thread server([&] {
        QByteArray out;
        QByteArray plain;
        while (!stop) {
            const int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0)
                break;
            const int one = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            TlsSession session(serverContext);
            if (driveHandshake(fd, session, out, plain))
                ++served;
            out.clear();
            ::close(fd);
        }
    });
    QElapsedTimer timer;
    timer.start();
    int count = 0;
    QByteArray out;
    QByteArray plain;
    while (timer.elapsed() < seconds * 1000) {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
            ::close(fd);
            break;
        }
        TlsSession session(clientContext, QStringLiteral("127.0.0.1"));
        session.start(out);
        // TLS 1.3: the client is done after its Finished; wait for the server's ticket too, so
        // each handshake is complete on both sides before the next starts.
        const bool ok = driveHandshake(fd, session, out, plain);
        char buffer[4096];
        ::shutdown(fd, SHUT_WR);
        while (::recv(fd, buffer, sizeof buffer, 0) > 0) { }
        ::close(fd);
        out.clear();
        if (!ok)
            break;
        ++count;
    }
    const double elapsed = double(timer.nsecsElapsed()) / 1e9;
    stop = true;
    ::shutdown(listener, SHUT_RDWR);
    ::close(listener);
    server.join();
    std::printf(
        "bench_tls loopback handshakes  %-18s %7.0f /s (TCP connect + TLS, server and client threads; "
        "%d served)\n",
        label, count / elapsed, served.load());
}

void idleMemory(const TlsContext &clientContext, const TlsContext &serverContext)
{
    constexpr int Count = 1000;
    std::vector<std::unique_ptr<TlsSession>> clients;
    std::vector<std::unique_ptr<TlsSession>> servers;
    clients.reserve(Count);
    servers.reserve(Count);
    QByteArray plain;
    QByteArray out;
    const QByteArray bulk(40000, 'x');
    malloc_trim(0);
    const qint64 heap0 = OpenSslHeap::liveBytes();
    const size_t malloc0 = mallinfo2().uordblks;
    for (int i = 0; i < Count; ++i) {
        clients.push_back(std::make_unique<TlsSession>(clientContext, QStringLiteral("localhost")));
        servers.push_back(std::make_unique<TlsSession>(serverContext));
        if (!handshakeInMemory(*clients.back(), *servers.back(), plain)) {
            std::printf("bench_tls idle: handshake failed\n");
            return;
        }
        // Traffic both ways, so every buffer a session ever needs has been allocated once.
        clients.back()->encrypt(bulk, out);
        servers.back()->feed(std::exchange(out, {}), plain, out);
        servers.back()->encrypt(bulk, out);
        clients.back()->feed(std::exchange(out, {}), plain, out);
        plain.clear();
        out.clear();
    }
    plain = QByteArray();
    out = QByteArray();
    const qint64 heapBoth = OpenSslHeap::liveBytes() - heap0;
    const size_t mallocBoth = mallinfo2().uordblks - malloc0;
    clients.clear();
    const qint64 heapServers = OpenSslHeap::liveBytes() - heap0;
    const size_t mallocServers = mallinfo2().uordblks - malloc0;
    std::printf("bench_tls idle session (after a handshake and 40 KB each way, %d of each): "
                "server %.0f B of OpenSSL heap (%.0f B malloc'd), client %.0f B (%.0f B malloc'd)\n",
                Count, double(heapServers) / Count, double(mallocServers) / Count,
                double(heapBoth - heapServers) / Count, double(mallocBoth - mallocServers) / Count);
}

void throughput(const TlsContext &clientContext, const TlsContext &serverContext, double seconds)
{
    TlsSession client(clientContext, QStringLiteral("localhost"));
    TlsSession server(serverContext);
    QByteArray plain;
    if (!handshakeInMemory(client, server, plain))
        return;
    // A framed sensor line (what a device sends at 20-50 Hz), a gateway batch, a full record.
    for (const qsizetype size : {qsizetype(27), qsizetype(1056), qsizetype(16384)}) {
        const QByteArray payload(size, 'a');
        QByteArray cipher;
        QByteArray out;
        qint64 records = 0;
        qint64 encryptNs = 0;
        qint64 decryptNs = 0;
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < seconds * 500) {
            cipher.resize(0);
            QElapsedTimer part;
            part.start();
            for (int i = 0; i < 100; ++i)
                client.encrypt(payload, cipher);
            encryptNs += part.nsecsElapsed();
            plain.resize(0);
            part.start();
            server.feed(cipher, plain, out);
            decryptNs += part.nsecsElapsed();
            records += 100;
            if (plain.size() != 100 * size) {
                std::printf("bench_tls records: decryption lost bytes: %s\n",
                            qPrintable(server.errorString()));
                return;
            }
        }
        std::printf("bench_tls %5lld-byte records: encrypt %.2f us, decrypt %.2f us per record (%.0f MB/s "
                    "encrypting)\n",
                    static_cast<long long>(size), double(encryptNs) / double(records) / 1000.0,
                    double(decryptNs) / double(records) / 1000.0,
                    double(size) * double(records) / (double(encryptNs) / 1e9) / 1e6);
    }
}

} // namespace

int main(int argc, char *argv[])
{
    const bool counting = OpenSslHeap::install(); // before anything touches OpenSSL
    QCoreApplication app(argc, argv);
    const double seconds = argc > 1 ? std::max(0.2, QByteArray(argv[1]).toDouble()) : 2.0;
    const TestCertificate ec = makeSelfSigned({QStringLiteral("localhost")}, {QStringLiteral("127.0.0.1")});
    const TestCertificate rsa
        = makeSelfSigned({QStringLiteral("localhost")}, {QStringLiteral("127.0.0.1")}, KeyType::Rsa2048);
    QString error;
    const auto ecServer = TlsContext::server(ec.certPem, ec.keyPem, &error);
    const auto rsaServer = TlsContext::server(rsa.certPem, rsa.keyPem, &error);
    // Clients verify the chain and the name, as grouploop-sim does by default.
    QTemporaryDir dir;
    const QString ecCa = dir.filePath(QStringLiteral("ec.pem"));
    const QString rsaCa = dir.filePath(QStringLiteral("rsa.pem"));
    if (!dir.isValid() || !ec.writeFiles(ecCa, dir.filePath(QStringLiteral("ec.key")))
        || !rsa.writeFiles(rsaCa, dir.filePath(QStringLiteral("rsa.key")))) {
        std::fprintf(stderr, "bench_tls: cannot write the test certificates\n");
        return 1;
    }
    const auto ecClient = TlsContext::client({ecCa}, &error);
    const auto rsaClient = TlsContext::client({rsaCa}, &error);
    if (!ecServer || !rsaServer || !ecClient || !rsaClient) {
        std::fprintf(stderr, "bench_tls: %s\n", qPrintable(error));
        return 1;
    }
    std::printf("bench_tls: %s, TLS 1.3, verifying clients, %.1f s per measurement\n",
                OpenSSL_version(OPENSSL_VERSION), seconds);
    inMemoryHandshakes("EC P-256", *ecClient, *ecServer, seconds);
    inMemoryHandshakes("RSA 2048", *rsaClient, *rsaServer, seconds);
    loopbackHandshakes("EC P-256", *ecClient, *ecServer, seconds);
    loopbackHandshakes("RSA 2048", *rsaClient, *rsaServer, seconds);
    if (counting)
        idleMemory(*ecClient, *ecServer);
    else
        std::printf("bench_tls idle: OpenSSL allocated before main(); no heap figures\n");
    throughput(*ecClient, *ecServer, seconds);
    std::fflush(stdout);
    return 0;
}
