#pragma once

#include <QLineEdit>
#include <QStringList>

class QCompleter;
class QAbstractItemModel;

namespace Gui {

// The line people type into: completes "@ni" to "@nick " from the room's member list (Tab or
// the popup), and recalls earlier lines with Up/Down.
class ChatInput : public QLineEdit
{
    Q_OBJECT
public:
    explicit ChatInput(QWidget *parent = nullptr);

    // The members model; `role` holds the nick.
    void setNickModel(QAbstractItemModel *model, int role);
    [[nodiscard]] QCompleter *completer() const { return m_completer; }
    // Adds a sent line to the history and clears the input.
    void commit();

protected:
    bool event(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    void updateCompletion();
    void insertCompletion(const QString &nick);
    // The "@prefix" word ending at the cursor; empty when the cursor is not in one.
    [[nodiscard]] QString nickPrefix(int *start) const;

    QCompleter *m_completer;
    QStringList m_history;
    int m_historyPos = 0;
};

} // namespace Gui
