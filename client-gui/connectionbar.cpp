#include <client-gui/connectionbar.h>

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

using Client::ConnectionStatus;

namespace Gui {

ConnectionBar::ConnectionBar(QWidget *parent)
    : QFrame(parent)
    , m_text(new QLabel(this))
    , m_detail(new QLabel(this))
    , m_reconnect(new QPushButton(tr("Reconnect &now"), this))
{
    setObjectName(QStringLiteral("connectionBar"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    QPalette pal = palette();
    pal.setColor(QPalette::Window, QColor(255, 243, 205));
    pal.setColor(QPalette::WindowText, QColor(102, 77, 3));
    setPalette(pal);
    QFont bold = m_text->font();
    bold.setBold(true);
    m_text->setFont(bold);
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detail->setWordWrap(true);
    m_reconnect->setAccessibleName(tr("Reconnect now"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->addWidget(m_text);
    layout->addWidget(m_detail, 1);
    layout->addWidget(m_reconnect);
    connect(m_reconnect, &QPushButton::clicked, this, &ConnectionBar::reconnectRequested);
    hide();
}

QString ConnectionBar::text() const
{
    return m_text->text();
}

void ConnectionBar::showStatus(const ConnectionStatus &status)
{
    using Phase = ConnectionStatus::Phase;
    switch (status.phase) {
    case Phase::Connected:
        hide();
        return;
    case Phase::Waiting:
        m_text->setText(tr("Reconnecting in %n s…", nullptr, status.secondsLeft));
        m_reconnect->setEnabled(true);
        break;
    case Phase::Connecting:
        if (!status.recovering) {
            hide(); // a first connection: the status bar says enough
            return;
        }
        m_text->setText(status.server.isEmpty() ? tr("Reconnecting…")
                                                : tr("Reconnecting to %1…").arg(status.server));
        m_reconnect->setEnabled(false);
        break;
    case Phase::Offline:
        if (status.error.isEmpty()) {
            hide();
            return;
        }
        m_text->setText(tr("Offline."));
        m_reconnect->setEnabled(true);
        break;
    }
    m_detail->setText(status.error.isEmpty() ? QString() : tr("(%1)").arg(status.error));
    show();
}

} // namespace Gui
