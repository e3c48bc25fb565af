#include <client-gui/joinroomdialog.h>

#include <client/clientcore.h>
#include <protocol/limits.h>

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace Gui {

JoinRoomDialog::JoinRoomDialog(Client::ClientCore *core, QWidget *parent)
    : QDialog(parent)
    , m_core(core)
    , m_room(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_problem(new QLabel(this))
{
    setWindowTitle(tr("Join room"));
    m_room->setAccessibleName(tr("Room name"));
    m_room->setMaxLength(int(Protocol::Limits::MaxRoomLength));
    m_password->setAccessibleName(tr("Room password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setMaxLength(int(Protocol::Limits::MaxRoomKeyLength));
    m_password->setPlaceholderText(tr("none: an open room"));
    m_password->setToolTip(tr("Needed for a locked room. Joining a new room with a password "
                              "locks it for as long as anyone is in it."));
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #b00020; font-weight: bold"));
    m_problem->hide();
    auto *form = new QFormLayout;
    form->addRow(tr("&Room:"), m_room);
    form->addRow(tr("&Password:"), m_password);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &JoinRoomDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &JoinRoomDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
    connect(core, &Client::ClientCore::joined, this, &JoinRoomDialog::onJoined);
    connect(core, &Client::ClientCore::serverError, this, &JoinRoomDialog::onError);
}

void JoinRoomDialog::accept()
{
    const QString room = m_room->text().trimmed();
    if (room.isEmpty())
        return;
    m_problem->hide();
    m_pendingRoom = room;
    m_core->join(room, m_password->text());
}

void JoinRoomDialog::onJoined(const QString &room)
{
    if (room == m_pendingRoom)
        QDialog::accept();
}

void JoinRoomDialog::onError(const Protocol::Error &error)
{
    // A refusal names its room, except bad-room (the name itself was refused).
    if (m_pendingRoom.isEmpty() || error.ref != QLatin1String("join")
        || (!error.room.isEmpty() && error.room != m_pendingRoom))
        return;
    // Every refusal of this join (wrong password, nick taken, ...) is shown here.
    m_problem->setText(error.text);
    m_problem->show();
    m_password->selectAll();
    m_password->setFocus();
}

} // namespace Gui
