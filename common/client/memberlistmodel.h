#pragma once

#include <protocol/messages.h>

#include <QAbstractListModel>
#include <QList>

namespace Client {

// The members of one room, sorted by nick (case-insensitive), with the server each one is on
// and a presence. Members leave by id; nicks are for people, ids are for routing.
class MemberListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum class Presence : quint8 { Online, Away, Unreachable };
    Q_ENUM(Presence)

    enum Role {
        IdRole = Qt::UserRole + 1,
        NickRole,
        ServerRole,
        IpRole,
        PresenceRole, // Presence
        OwnRole, // bool: this member is me
        FingerprintRole, // QString: fingerprint of the member's identity key
        KeyChangedRole, // bool: its key is not the one trusted for its nick
    };

    explicit MemberListModel(QObject *parent = nullptr);

    void setOwnId(const QString &clientId) { m_ownId = clientId; }
    void setMembers(const QList<Protocol::MemberInfo> &members);
    void addMember(const Protocol::MemberInfo &member);
    // False if no member has this id.
    bool removeMember(const QString &id);
    bool setPresence(const QString &id, Presence presence);
    // Marks the members with this nick as showing another key than `trustedFingerprint`, the
    // one trusted for it; an empty fingerprint clears the mark (the user accepted the key).
    void setKeyWarning(const QString &nick, const QString &trustedFingerprint);
    void clear();

    [[nodiscard]] int indexOfId(const QString &id) const;
    // Case-insensitive, like nicks in a room; -1 when absent.
    [[nodiscard]] int indexOfNick(const QString &nick) const;
    [[nodiscard]] QStringList nicks() const;
    [[nodiscard]] const Protocol::MemberInfo &member(int row) const { return m_rows.at(row).info; }

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

private:
    struct Row
    {
        Protocol::MemberInfo info;
        Presence presence = Presence::Online;
        QString fingerprint;
        QString trustedFingerprint; // non-empty while the key differs from the trusted one
    };
    [[nodiscard]] int insertPosition(const QString &nick) const;

    QList<Row> m_rows;
    QString m_ownId;
};

} // namespace Client
