#pragma once

#include <client-gui/guisettings.h>

#include <QDialog>

class QLineEdit;
class QListWidget;
class QSpinBox;
class QDoubleSpinBox;
class QComboBox;
class QCheckBox;
class QLabel;
class QRadioButton;

namespace Gui {

// Nick and language, servers, shared and download folders, upload slots and rate limit, the
// transfer mode, and the "test conditions" page that switches on the impairment layer for
// demonstrations. Reads GuiSettings when opened, writes it on OK.
class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    // `nickInUse`: the nick of the running session (e.g. from --nick); shown when the
    // settings hold none, so that OK never writes an empty nick over it.
    explicit SettingsDialog(GuiSettings *settings, QWidget *parent = nullptr,
                            const QString &nickInUse = {});

    // What the test conditions page says now, as the impairment spec string.
    [[nodiscard]] TestConditions testConditions() const;
    [[nodiscard]] QLabel *specPreview() const { return m_spec; }
    [[nodiscard]] QCheckBox *showAddressBox() const { return m_showAddress; }
    [[nodiscard]] QCheckBox *skipCertificateCheckBox() const { return m_skipCertificateCheck; }
    [[nodiscard]] QLineEdit *nickField() const { return m_nick; }
    [[nodiscard]] QLabel *nickError() const { return m_nickError; }

    void accept() override;

private:
    QWidget *generalPage();
    QWidget *filesPage();
    QWidget *transferPage();
    void load();
    void updateSpec();

    GuiSettings *m_settings;
    QLineEdit *m_nick;
    QLabel *m_nickError;
    QString m_nickInUse;
    QComboBox *m_language;
    QListWidget *m_servers;
    QListWidget *m_shared;
    QLineEdit *m_downloads;
    QSpinBox *m_slots;
    QSpinBox *m_rateLimit;
    QRadioButton *m_selectiveRepeat;
    QRadioButton *m_goBackN;
    QCheckBox *m_impair;
    QCheckBox *m_skipCertificateCheck;
    QCheckBox *m_showAddress;
    QDoubleSpinBox *m_loss;
    QSpinBox *m_delay;
    QDoubleSpinBox *m_reorder;
    QDoubleSpinBox *m_corrupt;
    QLabel *m_spec;
};

} // namespace Gui
