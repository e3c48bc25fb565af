#pragma once

#include <client/clientcore.h>
#include <client/connectionstatus.h>

#include <QLabel>

namespace Gui {

// The status bar's connection indicator: a coloured dot and ConnectionStatus::text(). Its
// properties "connectionState" (ClientCore::State) and "connectionPhase" (the status phase)
// let tests and accessibility tools read the state without parsing words.
class ConnectionLabel : public QLabel
{
    Q_OBJECT
public:
    explicit ConnectionLabel(QWidget *parent = nullptr);

public Q_SLOTS:
    void showStatus(const Client::ConnectionStatus &status);
    void showState(Client::ClientCore::State state);
};

} // namespace Gui
