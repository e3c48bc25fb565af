#pragma once

#include <QWidget>

class QTableView;
class QAction;

namespace Client {
class TransferListModel;
}

namespace Gui {

class TransferColumns;

// The downloads and uploads manager: a table over TransferListModel with a progress bar per
// row and actions for the selected transfer. It asks; the owner does (through ClientCore).
class TransfersView : public QWidget
{
    Q_OBJECT
public:
    explicit TransfersView(Client::TransferListModel *model, QWidget *parent = nullptr);

    [[nodiscard]] QTableView *table() const { return m_table; }
    // Which columns show and how wide (kept across runs by the main window).
    [[nodiscard]] TransferColumns *columns() const { return m_columns; }
    [[nodiscard]] QString currentTransfer() const;
    [[nodiscard]] QList<QAction *> transferActions() const;
    // Opens the selected transfer's file (or its folder); false, with openFailed(), if not.
    bool openFile(bool folder);

Q_SIGNALS:
    void pauseRequested(const QString &id);
    void resumeRequested(const QString &id);
    void cancelRequested(const QString &id);
    // Opening the file or its folder did not work; `reason` says why, for people.
    void openFailed(const QString &reason);
    // The selected row changed (empty id: none); the graph follows it.
    void currentTransferChanged(const QString &id);

private:
    void updateActions();
    [[nodiscard]] QString currentPath() const;

    Client::TransferListModel *m_model;
    QTableView *m_table;
    TransferColumns *m_columns;
    QAction *m_pause;
    QAction *m_resume;
    QAction *m_cancel;
    QAction *m_open;
    QAction *m_openFolder;
    QAction *m_clear;
};

} // namespace Gui
