#pragma once

#include <QWidget>

class QTreeView;
class QLineEdit;
class QAction;

namespace Client {
class OfferModel;
}

namespace Gui {

// Results of a find, grouped by content: a tree with one row per file and its sources below.
// Downloading a file row takes the best source; a source row takes that source.
class OffersView : public QWidget
{
    Q_OBJECT
public:
    explicit OffersView(Client::OfferModel *model, QWidget *parent = nullptr);

    [[nodiscard]] QTreeView *tree() const { return m_tree; }
    [[nodiscard]] QLineEdit *searchField() const { return m_search; }

Q_SIGNALS:
    void findRequested(const QString &pattern);
    void downloadRequested(const QString &offerId);

private:
    void downloadCurrent();

    Client::OfferModel *m_model;
    QLineEdit *m_search;
    QTreeView *m_tree;
    QAction *m_download;
};

} // namespace Gui
