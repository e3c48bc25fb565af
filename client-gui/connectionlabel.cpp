#include <client-gui/connectionlabel.h>

using namespace Qt::StringLiterals;

namespace Gui {

ConnectionLabel::ConnectionLabel(QWidget *parent)
    : QLabel(parent)
{
    setAccessibleName(tr("Connection state"));
}

void ConnectionLabel::showStatus(const Client::ConnectionStatus &status)
{
    using Phase = Client::ConnectionStatus::Phase;
    QString color = u"#9e9e9e"_s;
    if (status.phase == Phase::Connected)
        color = u"#2e7d32"_s;
    else if (status.phase == Phase::Connecting)
        color = u"#f9a825"_s;
    else if (status.phase == Phase::Waiting)
        color = u"#c62828"_s;
    setText(u"<span style=\"color:"_s % color % u"\">&#9679;</span> "_s
            % status.text().toHtmlEscaped());
    setProperty("connectionPhase", int(status.phase));
}

void ConnectionLabel::showState(Client::ClientCore::State state)
{
    setProperty("connectionState", int(state));
}

} // namespace Gui
