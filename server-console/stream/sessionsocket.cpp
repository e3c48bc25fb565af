#include <server-console/stream/sessionsocket.h>

#include <server-console/stream/flushqueue.h>
#include <server-console/stream/sealedoutput.h>
#include <server-console/stream/tlscontext.h>

#include <protocol/framecodec.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

using namespace Qt::StringLiterals;

namespace Server {

namespace {
constexpr qsizetype kRecordBytes = 16 * 1024; // one full TLS record
constexpr qsizetype kKeptQueueSlots = 8; // frames an emptied queue keeps room for
constexpr int kMaxIovecs = 64;
// Sealed bytes handed to the kernel in one write: four records, one loopback packet of the
// largest size, and the most a session that cannot write carries beside its frames.
constexpr qsizetype kSealedPerWrite = 64 * 1024;

// Why an SSL_* call failed. The thread's whole error queue is emptied: the federation's Qt
// sockets share it, and Qt reads it without clearing it first, so an entry left here would
// fail one of their handshakes or reads.
QString openSslError(int sslError)
{
    QString why;
    if (const unsigned long e = ERR_get_error()) {
        char text[256] = {};
        ERR_error_string_n(e, text, sizeof text);
        why = QString::fromLatin1(text);
    } else if (sslError == SSL_ERROR_SYSCALL) {
        why = errno ? QString::fromLocal8Bit(std::strerror(errno))
                    : u"the connection closed without a TLS close"_s;
    } else {
        why = u"TLS error %1"_s.arg(sslError);
    }
    ERR_clear_error();
    return why;
}

// Before an SSL_* call: nothing stale in the error queue or errno to be read as its failure.
void clearErrors()
{
    ERR_clear_error();
    errno = 0;
}

QHostAddress peerOf(int fd)
{
    sockaddr_storage address {};
    socklen_t length = sizeof address;
    if (::getpeername(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return {};
    return QHostAddress(reinterpret_cast<const sockaddr *>(&address));
}
} // namespace

SessionSocket::SessionSocket(qintptr descriptor, std::shared_ptr<const TlsContext> tls,
                             QObject *parent)
    : FrameStream(parent)
    , m_fd(int(descriptor))
    , m_tls(std::move(tls))
    , m_watch(
              int(descriptor), [this] { onReadable(); }, [this] { onWritable(); })
    , m_peer(peerOf(m_fd))
    , m_phase(m_tls ? Phase::Handshake : Phase::Open)
{
    // Every read and write here must return at once (QTcpServer hands descriptors over in
    // blocking mode); writes are gathered per turn, so Nagle's delay would only add latency.
    ::fcntl(m_fd, F_SETFL, ::fcntl(m_fd, F_GETFL) | O_NONBLOCK);
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

SessionSocket::~SessionSocket()
{
    closeNow();
}

void SessionSocket::startHandshake()
{
    if (!m_tls || m_phase != Phase::Handshake)
        return;
    m_ssl = SSL_new(m_tls->handle());
    BIO *input = m_ssl ? BIO_new_socket(m_fd, BIO_NOCLOSE) : nullptr;
    BIO *output = input ? SealedOutput::newBio() : nullptr;
    if (!output) {
        BIO_free(input);
        fail(u"cannot start TLS: %1"_s.arg(openSslError(SSL_ERROR_SSL)));
        return;
    }
    SSL_set_bio(m_ssl, input, output);
    SSL_set_accept_state(m_ssl);
    continueHandshake();
}

void SessionSocket::continueHandshake()
{
    if (!m_carry.isEmpty()) {
        if (!sendSealed()) {
            Q_EMIT handshakeFailed(m_error);
            return;
        }
        if (!m_carry.isEmpty())
            return; // the last flight is not all out: writable again
    }
    clearErrors();
    const int result = SSL_do_handshake(m_ssl);
    const int error = result == 1 ? SSL_ERROR_NONE : SSL_get_error(m_ssl, result);
    const bool fatal = error != SSL_ERROR_NONE && error != SSL_ERROR_WANT_READ
            && error != SSL_ERROR_WANT_WRITE;
    const QString why = fatal ? openSslError(error) : QString();
    // The flight (or the alert that tells the peer why) goes out first.
    if (!sendSealed()) {
        Q_EMIT handshakeFailed(m_error);
        return;
    }
    if (fatal) {
        fail(why);
        Q_EMIT handshakeFailed(why);
        return;
    }
    wantWrite(error == SSL_ERROR_WANT_WRITE || !m_carry.isEmpty());
    if (result == 1) {
        m_phase = Phase::Open;
        Q_EMIT encrypted();
    }
}

bool SessionSocket::sendSealed()
{
    std::vector<char> &sealed = SealedOutput::staging();
    if (m_fd < 0) {
        sealed.clear();
        return false;
    }
    if (!m_carry.isEmpty() && !sealed.empty()) {
        m_carry.append(sealed.data(), qsizetype(sealed.size()));
        sealed.clear();
    }
    const bool fromCarry = !m_carry.isEmpty();
    const char *data = fromCarry ? m_carry.constData() : sealed.data();
    const qsizetype length = fromCarry ? m_carry.size() : qsizetype(sealed.size());
    qsizetype sent = 0;
    while (sent < length) {
        const ssize_t n = ::send(m_fd, data + sent, size_t(length - sent), MSG_NOSIGNAL);
        if (n > 0) {
            sent += n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n == 0 || errno == EAGAIN || errno == EWOULDBLOCK) {
            break;
        } else {
            sealed.clear();
            fail(QString::fromLocal8Bit(std::strerror(errno)));
            return false;
        }
    }
    if (fromCarry) {
        if (sent == length)
            m_carry = {};
        else
            m_carry.remove(0, sent);
    } else {
        if (sent < length)
            m_carry = QByteArray(data + sent, length - sent);
        sealed.clear();
    }
    return true;
}

void SessionSocket::write(const QByteArray &frame)
{
    if (m_phase != Phase::Open || frame.isEmpty())
        return;
    m_pending.append(frame);
    m_pendingBytes += frame.size();
    scheduleFlush();
}

void SessionSocket::scheduleFlush()
{
    if (m_flushQueued || waitingToWrite())
        return; // already due, or waiting for room in the kernel
    m_flushQueued = true;
    FlushQueue::add(this);
}

void SessionSocket::flush()
{
    if (m_phase == Phase::Open || m_phase == Phase::Draining) {
        if (m_ssl)
            flushTls();
        else
            flushPlain();
    }
    if (m_phase == Phase::Draining && m_pending.isEmpty() && m_carry.isEmpty())
        finishWriting();
}

void SessionSocket::flushTls()
{
    if (!m_carry.isEmpty() && (!sendSealed() || !m_carry.isEmpty())) {
        wantWrite(true); // nothing more is sealed until the kernel took what was
        return;
    }
    const std::vector<char> &sealed = SealedOutput::staging();
    while (!m_pending.isEmpty()) {
        if (qsizetype(sealed.size()) >= kSealedPerWrite) {
            if (!sendSealed())
                return;
            if (!m_carry.isEmpty()) {
                wantWrite(true);
                return;
            }
        }
        qsizetype length = m_tlsRetryBytes;
        const char *data = gather(&length);
        clearErrors();
        const int written = SSL_write(m_ssl, data, int(length));
        if (written > 0) {
            m_tlsRetryBytes = 0;
            consume(written);
            continue;
        }
        const int error = SSL_get_error(m_ssl, written);
        if (error == SSL_ERROR_WANT_WRITE || error == SSL_ERROR_WANT_READ) {
            m_tlsRetryBytes = length;
            if (sendSealed())
                wantWrite(error == SSL_ERROR_WANT_WRITE || !m_carry.isEmpty());
            return;
        }
        const QString why = openSslError(error);
        if (sendSealed())
            fail(why);
        return;
    }
    if (sendSealed())
        wantWrite(!m_carry.isEmpty());
}

const char *SessionSocket::gather(qsizetype *length)
{
    const QByteArray &head = m_pending.constFirst();
    const qsizetype headBytes = head.size() - m_headOffset;
    const qsizetype wanted = *length > 0 ? *length : qMin<qsizetype>(m_pendingBytes, kRecordBytes);
    if (headBytes >= wanted || m_pending.size() == 1) {
        // A frame of a record or more (or the last one) goes from where it is.
        *length = *length > 0 ? *length : qMin(headBytes, kSealedPerWrite);
        return head.constData() + m_headOffset;
    }
    thread_local char staging[kRecordBytes];
    qsizetype filled = 0;
    qsizetype offset = m_headOffset;
    for (const QByteArray &frame : std::as_const(m_pending)) {
        const qsizetype take = qMin(frame.size() - offset, wanted - filled);
        std::memcpy(staging + filled, frame.constData() + offset, size_t(take));
        filled += take;
        offset = 0;
        if (filled == wanted)
            break;
    }
    *length = filled;
    return staging;
}

void SessionSocket::flushPlain()
{
    while (!m_pending.isEmpty()) {
        iovec vectors[kMaxIovecs];
        int count = 0;
        qsizetype offset = m_headOffset;
        for (const QByteArray &frame : std::as_const(m_pending)) {
            vectors[count].iov_base = const_cast<char *>(frame.constData() + offset);
            vectors[count].iov_len = size_t(frame.size() - offset);
            offset = 0;
            if (++count == kMaxIovecs)
                break;
        }
        msghdr message {};
        message.msg_iov = vectors;
        message.msg_iovlen = size_t(count);
        const ssize_t written = ::sendmsg(m_fd, &message, MSG_NOSIGNAL);
        if (written > 0) {
            consume(written);
            continue;
        }
        if (written < 0 && errno == EINTR)
            continue;
        if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            wantWrite(true);
            return;
        }
        fail(QString::fromLocal8Bit(std::strerror(errno)));
        return;
    }
    wantWrite(false);
}

void SessionSocket::consume(qsizetype bytes)
{
    m_pendingBytes -= bytes;
    while (bytes > 0) {
        const qsizetype headBytes = m_pending.constFirst().size() - m_headOffset;
        if (bytes < headBytes) {
            m_headOffset += bytes;
            return;
        }
        bytes -= headBytes;
        m_pending.removeFirst();
        m_headOffset = 0;
    }
    // A queue that grew in a burst goes; a small one stays: freeing and allocating it again
    // for every message of a room was a tenth of the server's time in a room of 5000.
    if (m_pending.isEmpty() && m_pending.capacity() > kKeptQueueSlots)
        m_pending = {};
}

void SessionSocket::wantWrite(bool on)
{
    if (m_fd < 0 || waitingToWrite() == on)
        return;
    m_watch.setWriteEnabled(on);
}

void SessionSocket::onWritable()
{
    if (m_phase == Phase::Handshake) {
        continueHandshake();
        return;
    }
    wantWrite(false);
    flush();
}

bool SessionSocket::emitReadyRead()
{
    m_inNotification = true;
    Q_EMIT readyRead();
    m_inNotification = false;
    if (!m_disconnectDue)
        return true;
    emitDisconnected();
    return false;
}

void SessionSocket::onReadable()
{
    m_readBudget = kReadBudget;
    switch (m_phase) {
    case Phase::Handshake:
        continueHandshake();
        return;
    case Phase::Open:
    case Phase::Draining:
        if (m_tlsRetryBytes > 0 && !waitingToWrite())
            scheduleFlush(); // a write that waited for the peer's bytes can go on now
        m_readCalled = false;
        if (!emitReadyRead())
            return;
        // A reader that takes nothing now (a session saying goodbye) would make this
        // notification fire in a loop: wait until it asks again, as a full Qt buffer does.
        if (!m_readCalled && m_fd >= 0)
            m_watch.setReadEnabled(false);
        return;
    case Phase::HalfClosed:
        m_inNotification = true;
        discardIncoming();
        m_inNotification = false;
        if (m_disconnectDue)
            emitDisconnected();
        return;
    case Phase::Closed:
        return;
    }
}

qsizetype SessionSocket::readInto(Protocol::FrameReader &reader)
{
    m_readCalled = true;
    if (m_fd >= 0 && !m_watch.isReadEnabled())
        m_watch.setReadEnabled(true);
    if (!m_unread.isEmpty()) {
        const qsizetype taken = reader.append(m_unread);
        m_unread.remove(0, taken);
        if (m_unread.isEmpty())
            m_unread = {};
        return taken;
    }
    if (m_phase != Phase::Open && m_phase != Phase::Draining)
        return 0;
    if (m_readBudget <= 0) {
        // The descriptor's next notification resets the budget; only bytes held here or by
        // OpenSSL would wait for nothing.
        if (!m_unread.isEmpty() || (m_ssl && SSL_pending(m_ssl) > 0))
            scheduleReadAgain();
        return 0;
    }
    char buffer[kRecordBytes];
    qsizetype received = 0;
    if (m_ssl) {
        clearErrors();
        const int n = SSL_read(m_ssl, buffer, int(sizeof buffer));
        const int error = n > 0 ? SSL_ERROR_NONE : SSL_get_error(m_ssl, n);
        const bool ended = error != SSL_ERROR_NONE && error != SSL_ERROR_WANT_READ;
        const QString why
                = ended && error != SSL_ERROR_ZERO_RETURN ? openSslError(error) : QString();
        // Reading seals too (a key update's answer, an alert): out it goes, in order.
        if (!sendSealed() && n <= 0)
            return 0;
        if (ended) {
            fail(why);
            return 0;
        }
        if (n <= 0)
            return 0;
        received = n;
    } else {
        const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
            return 0;
        if (n <= 0) {
            fail(n == 0 ? QString() : QString::fromLocal8Bit(std::strerror(errno)));
            return 0;
        }
        received = n;
    }
    m_readBudget -= received;
    const qsizetype taken = reader.append(QByteArrayView(buffer, received));
    if (taken < received)
        m_unread = QByteArray(buffer + taken, received - taken);
    // OpenSSL may hold the rest of a record already read from the descriptor.
    if (m_ssl && SSL_pending(m_ssl) > 0 && m_readBudget <= 0)
        scheduleReadAgain();
    return taken;
}

void SessionSocket::scheduleReadAgain()
{
    if (m_readAgainQueued)
        return;
    m_readAgainQueued = true;
    QMetaObject::invokeMethod(
            this,
            [this] {
                m_readAgainQueued = false;
                m_readBudget = kReadBudget;
                if (m_phase == Phase::Open || m_phase == Phase::Draining)
                    Q_EMIT readyRead();
            },
            Qt::QueuedConnection);
}

void SessionSocket::disconnectFromHost()
{
    if (m_phase == Phase::Handshake) {
        abort();
        return;
    }
    if (m_phase != Phase::Open)
        return;
    m_phase = Phase::Draining;
    if (!m_flushQueued && !waitingToWrite())
        flush();
}

void SessionSocket::finishWriting()
{
    if (m_ssl && !(SSL_get_shutdown(m_ssl) & SSL_SENT_SHUTDOWN)) {
        clearErrors();
        SSL_shutdown(m_ssl); // close_notify; the peer's is not waited for
        ERR_clear_error();
        if (!sendSealed())
            return;
        if (!m_carry.isEmpty()) {
            wantWrite(true); // onWritable() -> flush() comes back here
            return;
        }
    }
    ::shutdown(m_fd, SHUT_WR);
    m_phase = Phase::HalfClosed;
    wantWrite(false);
    m_watch.setReadEnabled(true);
    // Everything is out: the owner may let go (a session's slot and presence end now, not
    // when the peer gets round to closing); until then the descriptor drains what still
    // comes, and it drains again before it closes so that no unread byte turns the close
    // into a reset that could cut off what was sent.
    QMetaObject::invokeMethod(this, &SessionSocket::emitDisconnected, Qt::QueuedConnection);
    discardIncoming();
}

void SessionSocket::discardIncoming()
{
    // After our FIN the peer reads what was sent and closes; its EOF ends the connection.
    char buffer[4096];
    for (int i = 0; i < 64 && m_phase == Phase::HalfClosed; ++i) {
        const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
        if (n > 0)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
            return;
        fail(QString());
    }
}

void SessionSocket::abort()
{
    if (m_phase == Phase::Closed)
        return;
    closeNow();
    emitDisconnected();
}

void SessionSocket::fail(const QString &why)
{
    if (m_phase == Phase::Closed)
        return;
    if (!why.isEmpty())
        m_error = why;
    closeNow();
    if (m_inNotification) {
        m_disconnectDue = true; // emitted as soon as the reader's handler has returned
        return;
    }
    QMetaObject::invokeMethod(this, &SessionSocket::emitDisconnected, Qt::QueuedConnection);
}

void SessionSocket::emitDisconnected()
{
    m_disconnectDue = false;
    if (m_disconnectEmitted)
        return;
    m_disconnectEmitted = true;
    Q_EMIT disconnected();
}

void SessionSocket::closeNow()
{
    if (m_phase == Phase::HalfClosed && m_fd >= 0) {
        char buffer[4096];
        for (int i = 0; i < 64 && ::recv(m_fd, buffer, sizeof buffer, 0) > 0; ++i) { }
    }
    if (m_flushQueued) {
        FlushQueue::remove(this);
        m_flushQueued = false;
    }
    m_phase = Phase::Closed;
    m_pending = {};
    m_pendingBytes = 0;
    m_headOffset = 0;
    m_carry = {};
    m_unread = {};
    if (m_fd < 0)
        return;
    m_watch.detach();
    if (m_ssl) {
        SSL_free(m_ssl);
        m_ssl = nullptr;
    }
    ::close(m_fd);
    m_fd = -1;
}

QByteArray SessionSocket::localCertificateDer() const
{
    return m_tls && m_phase != Phase::Handshake ? m_tls->certificateDer() : QByteArray();
}

QByteArray SessionSocket::peerCertificateDer() const
{
    if (!m_ssl)
        return {};
    X509 *peer = SSL_get1_peer_certificate(m_ssl);
    if (!peer)
        return {};
    QByteArray der(i2d_X509(peer, nullptr), Qt::Uninitialized);
    auto *out = reinterpret_cast<unsigned char *>(der.data());
    i2d_X509(peer, &out);
    X509_free(peer);
    return der;
}

} // namespace Server
