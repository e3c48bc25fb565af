#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>

class QAction;
class QTableView;

namespace Gui {

// The transfers table's columns: each as wide as its usual widest text in the table's font
// (fixed pixel widths cut "Direct (through NAT)" and "59 min 59 s" short), and a menu on the
// header to show or hide any of them but the file's, as download managers have. Direction and
// round trip are hidden at first (the file's arrow says the one, the graph shows the selected
// transfer's other), so that the resent share and the path fit in a window 1100 pixels wide.
class TransferColumns : public QObject
{
    Q_OBJECT
public:
    explicit TransferColumns(QTableView *table);

    // One checkable action per column that may be hidden, in column order (the header's menu).
    [[nodiscard]] const QList<QAction *> &actions() const { return m_actions; }
    // Widths, order and hidden columns, to keep across runs (QSettings).
    [[nodiscard]] QByteArray saveState() const;
    // False, and the layout left as it was, if the state is not one saveState() wrote.
    bool restoreState(const QByteArray &state);

private:
    void sizeToTexts();
    void syncActions();

    QTableView *m_table;
    QList<QAction *> m_actions; // by column; nullptr for the file's
};

} // namespace Gui
