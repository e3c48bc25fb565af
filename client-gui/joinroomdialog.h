#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace Client {
class ClientCore;
}
namespace Protocol {
struct Error;
}

namespace Gui {

// Room name and, for a locked room, its password (hidden as it is typed). OK sends the join
// and keeps the dialog open: it closes when the server admits the join, and shows a refusal
// ("wrong password for room 'x'") inline so that the user can correct it.
class JoinRoomDialog : public QDialog
{
    Q_OBJECT
public:
    explicit JoinRoomDialog(Client::ClientCore *core, QWidget *parent = nullptr);

    [[nodiscard]] QLineEdit *roomEdit() const { return m_room; }
    [[nodiscard]] QLineEdit *passwordEdit() const { return m_password; }
    [[nodiscard]] QLabel *problemLabel() const { return m_problem; }

    void accept() override;

private:
    void onJoined(const QString &room);
    void onError(const Protocol::Error &error);

    Client::ClientCore *m_core;
    QLineEdit *m_room;
    QLineEdit *m_password;
    QLabel *m_problem;
    QString m_pendingRoom; // the join sent and not answered yet
};

} // namespace Gui
