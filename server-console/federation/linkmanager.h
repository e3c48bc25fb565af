#pragma once

#include <server-console/federation/linksession.h>
#include <server-console/federation/linktraffic.h>

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>

namespace Server {

// The links of this server: dials the configured peers (and re-dials them with exponential
// backoff), adopts links other servers dial in, and tells which neighbours are up. A neighbour
// may be reached by two links at once (both sides dialled); it counts as one neighbour.
class LinkManager : public QObject
{
    Q_OBJECT
public:
    LinkManager(LinkIdentity self, LinkSession::Admission admit, int redialMinMs,
                QObject *parent = nullptr);
    ~LinkManager() override;

    // TLS for every link from now on (set before the first dial); nullopt = plain.
    void setTls(std::optional<QSslConfiguration> tls) { m_self.tls = std::move(tls); }
    // Unauthenticated links: how many may wait at once, and how many one address may open per
    // minute. Beyond either the socket is closed at once.
    void setAdmissionLimits(int pendingMax, int attemptsPerMinute)
    {
        m_pendingMax = pendingMax;
        m_attemptsPerMinute = attemptsPerMinute;
    }
    void addPeer(const QString &host, quint16 port);
    // Takes over an accepted socket whose first frame was a link hello; `unread` is what came
    // after it.
    void adopt(FrameStream *socket, const QCborMap &hello, const QByteArray &unread = {});
    void send(const QString &neighbour, const Protocol::Link::Message &message);
    void broadcast(const Protocol::Link::Message &message, const QString &except = {});
    // Closes every link and stops re-dialling.
    void stop(const QString &reason);
    // Closes the links to one neighbour (operators, tests); configured peers are re-dialled.
    void dropNeighbour(const QString &name);

    [[nodiscard]] QStringList neighbours() const;
    // What crossed the links since the start, by neighbour, kind and room.
    [[nodiscard]] const LinkTraffic &traffic() const { return m_traffic; }

Q_SIGNALS:
    void neighbourUp(const QString &name);
    void neighbourDown(const QString &name);
    void received(const QString &neighbour, const Protocol::Link::Message &message);

private:
    struct Peer
    {
        QString host;
        quint16 port = 0;
        LinkSession *link = nullptr;
        int backoffMs = 0;
    };
    void dial(int index);
    void scheduleRedial(int index);
    void attach(LinkSession *link);
    void linkUp(LinkSession *link);
    void linkDown(LinkSession *link, const QString &reason);
    [[nodiscard]] LinkSession *linkTo(const QString &neighbour) const;
    // Empty when one more unauthenticated link from `address` may start, else why not.
    [[nodiscard]] QString admissionRefusal(const QString &address);

    LinkIdentity m_self;
    LinkSession::Admission m_admit;
    int m_redialMinMs;
    QList<Peer> m_peers;
    QList<LinkSession *> m_links; // every link, up or still in its handshake
    LinkTraffic m_traffic;
    QSet<QString> m_announced; // neighbours reported up and not yet down
    QHash<QString, QList<qint64>> m_recentAttempts; // address -> adoption times (ms)
    int m_pendingMax = 8;
    int m_attemptsPerMinute = 60;
    bool m_stopped = false;
};

} // namespace Server
