#include <client-gui/chatinput.h>

#include <QAbstractItemView>
#include <QCompleter>
#include <QKeyEvent>

using namespace Qt::StringLiterals;

namespace Gui {

namespace {
constexpr int kHistoryLines = 100;
}

ChatInput::ChatInput(QWidget *parent)
    : QLineEdit(parent)
    , m_completer(new QCompleter(this))
{
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->setWidget(this);
    connect(m_completer, qOverload<const QString &>(&QCompleter::activated), this,
            &ChatInput::insertCompletion);
    connect(this, &QLineEdit::textEdited, this, &ChatInput::updateCompletion);
}

void ChatInput::setNickModel(QAbstractItemModel *model, int role)
{
    m_completer->setModel(model);
    m_completer->setCompletionRole(role);
}

QString ChatInput::nickPrefix(int *start) const
{
    const QString t = text();
    const int cursor = cursorPosition();
    int i = cursor;
    while (i > 0 && !t.at(i - 1).isSpace() && t.at(i - 1) != u'@' && t.at(i - 1) != u',')
        --i;
    if (i == 0 || t.at(i - 1) != u'@')
        return {};
    *start = i - 1;
    return t.mid(i, cursor - i);
}

void ChatInput::updateCompletion()
{
    int start = 0;
    const QString prefix = nickPrefix(&start);
    if (prefix.isEmpty() || !m_completer->model()) {
        m_completer->popup()->hide();
        return;
    }
    m_completer->setCompletionPrefix(prefix);
    if (m_completer->completionCount() == 0) {
        m_completer->popup()->hide();
        return;
    }
    m_completer->complete();
}

void ChatInput::insertCompletion(const QString &nick)
{
    int start = 0;
    const QString prefix = nickPrefix(&start);
    if (start < 0 || (prefix.isEmpty() && text().mid(start, 1) != u"@"_s))
        return;
    QString t = text();
    const int end = cursorPosition();
    t.replace(start, end - start, u'@' % nick % u' ');
    setText(t);
    setCursorPosition(start + int(nick.size()) + 2);
    m_completer->popup()->hide();
}

void ChatInput::commit()
{
    const QString line = text();
    if (!line.isEmpty() && (m_history.isEmpty() || m_history.constLast() != line)) {
        m_history.append(line);
        if (m_history.size() > kHistoryLines)
            m_history.removeFirst();
    }
    m_historyPos = int(m_history.size());
    clear();
}

bool ChatInput::event(QEvent *event)
{
    // Tab normally moves the focus (handled before keyPressEvent); inside "@ni" it completes.
    if (event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Tab) {
        int start = 0;
        if (!nickPrefix(&start).isEmpty()) {
            updateCompletion();
            if (m_completer->completionCount() > 0)
                insertCompletion(m_completer->currentCompletion());
            return true;
        }
    }
    return QLineEdit::event(event);
}

void ChatInput::keyPressEvent(QKeyEvent *event)
{
    QAbstractItemView *popup = m_completer->popup();
    if (!popup->isVisible() && (event->key() == Qt::Key_Up || event->key() == Qt::Key_Down)) {
        if (m_history.isEmpty())
            return;
        m_historyPos += event->key() == Qt::Key_Up ? -1 : 1;
        m_historyPos = std::clamp(m_historyPos, 0, int(m_history.size()));
        setText(m_history.value(m_historyPos));
        return;
    }
    QLineEdit::keyPressEvent(event);
}

} // namespace Gui
