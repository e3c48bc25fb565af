#include <client-gui/emptyview.h>

#include <QKeySequence>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace Gui {

EmptyView::EmptyView(QWidget *parent)
    : QWidget(parent)
    , m_text(new QLabel(this))
    , m_button(new QPushButton(this))
{
    setObjectName(QStringLiteral("emptyView"));
    m_text->setAlignment(Qt::AlignCenter);
    m_text->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addStretch(1);
    layout->addWidget(m_text);
    layout->addWidget(m_button, 0, Qt::AlignHCenter);
    layout->addStretch(1);
    connect(m_button, &QPushButton::clicked, this, [this] {
        if (m_connected)
            Q_EMIT joinRequested();
        else
            Q_EMIT connectRequested();
    });
    setConnected(false);
}

QString EmptyView::text() const
{
    return m_text->text();
}

void EmptyView::setConnected(bool connected)
{
    m_connected = connected;
    // The shortcut as this platform writes it, so the hint teaches the key.
    const auto key = [](const QKeySequence &k) { return k.toString(QKeySequence::NativeText); };
    if (connected) {
        m_text->setText(tr("No room is open."));
        m_button->setText(tr("Join a room… (%1)").arg(key(QKeySequence(Qt::CTRL | Qt::Key_J))));
    } else {
        m_text->setText(tr("You are not connected."));
        m_button->setText(tr("Connect… (%1)").arg(key(QKeySequence::New)));
    }
}

} // namespace Gui
