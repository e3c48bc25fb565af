#include <client/memberlistmodel.h>

#include <crypto/identitykey.h>
#include <protocol/names.h>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Client {

namespace {
QString fingerprintOf(const Protocol::MemberInfo &m)
{
    return Crypto::IdentityKey::fingerprintOf(m.key);
}

bool nickLess(const QString &a, const QString &b)
{
    const int c = a.compare(b, Qt::CaseInsensitive);
    return c != 0 ? c < 0 : a < b;
}
} // namespace

MemberListModel::MemberListModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

void MemberListModel::setMembers(const QList<Protocol::MemberInfo> &members)
{
    beginResetModel();
    m_rows.clear();
    for (const Protocol::MemberInfo &m : members) {
        if (indexOfId(m.id) < 0)
            m_rows.append({m, Presence::Online, fingerprintOf(m), {}});
    }
    std::sort(m_rows.begin(), m_rows.end(),
              [](const Row &a, const Row &b) { return nickLess(a.info.nick, b.info.nick); });
    endResetModel();
}

int MemberListModel::insertPosition(const QString &nick) const
{
    const auto it = std::lower_bound(
            m_rows.cbegin(), m_rows.cend(), nick,
            [](const Row &r, const QString &n) { return nickLess(r.info.nick, n); });
    return int(it - m_rows.cbegin());
}

void MemberListModel::addMember(const Protocol::MemberInfo &member)
{
    // A member seen again (e.g. after a split heals) replaces the old row.
    removeMember(member.id);
    const int row = insertPosition(member.nick);
    beginInsertRows({}, row, row);
    m_rows.insert(row, {member, Presence::Online, fingerprintOf(member), {}});
    endInsertRows();
}

bool MemberListModel::removeMember(const QString &id)
{
    const int row = indexOfId(id);
    if (row < 0)
        return false;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
    return true;
}

bool MemberListModel::setPresence(const QString &id, Presence presence)
{
    const int row = indexOfId(id);
    if (row < 0)
        return false;
    if (m_rows[row].presence != presence) {
        m_rows[row].presence = presence;
        const QModelIndex i = index(row);
        Q_EMIT dataChanged(i, i);
    }
    return true;
}

void MemberListModel::setKeyWarning(const QString &nick, const QString &trustedFingerprint)
{
    const QString wanted = Protocol::nickKey(nick);
    for (int row = 0; row < m_rows.size(); ++row) {
        Row &r = m_rows[row];
        if (Protocol::nickKey(r.info.nick) != wanted || r.trustedFingerprint == trustedFingerprint)
            continue;
        r.trustedFingerprint = trustedFingerprint;
        const QModelIndex i = index(row);
        Q_EMIT dataChanged(i, i);
    }
}

void MemberListModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

int MemberListModel::indexOfId(const QString &id) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).info.id == id)
            return i;
    }
    return -1;
}

int MemberListModel::indexOfNick(const QString &nick) const
{
    const QString wanted = Protocol::nickKey(nick);
    for (int i = 0; i < m_rows.size(); ++i) {
        if (Protocol::nickKey(m_rows.at(i).info.nick) == wanted)
            return i;
    }
    return -1;
}

QStringList MemberListModel::nicks() const
{
    QStringList out;
    out.reserve(m_rows.size());
    for (const Row &r : m_rows)
        out.append(r.info.nick);
    return out;
}

int MemberListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant MemberListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NickRole:
        return r.info.nick;
    case Qt::ToolTipRole: {
        // A member who hides its address has an empty ip: the tooltip then names none.
        QString tip = r.info.nick % u" ("_s % r.info.id
                % (r.info.ip.isEmpty() ? QString() : QString(u", "_s % r.info.ip)) % u")\n"_s
                % tr("Key: %1").arg(r.fingerprint);
        if (!r.trustedFingerprint.isEmpty())
            tip += u'\n'
                    + tr("KEY CHANGED: %1 used to have key %2")
                              .arg(r.info.nick, r.trustedFingerprint);
        return tip;
    }
    case FingerprintRole:
        return r.fingerprint;
    case KeyChangedRole:
        return !r.trustedFingerprint.isEmpty();
    case IdRole:
        return r.info.id;
    case ServerRole:
        return r.info.server;
    case IpRole:
        return r.info.ip;
    case PresenceRole:
        return QVariant::fromValue(r.presence);
    case OwnRole:
        return !m_ownId.isEmpty() && r.info.id == m_ownId;
    default:
        return {};
    }
}

QHash<int, QByteArray> MemberListModel::roleNames() const
{
    auto names = QAbstractListModel::roleNames();
    names.insert({{IdRole, "id"},
                  {NickRole, "nick"},
                  {ServerRole, "server"},
                  {IpRole, "ip"},
                  {PresenceRole, "presence"},
                  {OwnRole, "own"},
                  {FingerprintRole, "fingerprint"},
                  {KeyChangedRole, "keyChanged"}});
    return names;
}

} // namespace Client
