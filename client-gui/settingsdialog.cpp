#include <client-gui/settingsdialog.h>

#include <protocol/names.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gui {

namespace {
QStringList items(const QListWidget *list)
{
    QStringList out;
    for (int i = 0; i < list->count(); ++i)
        out << list->item(i)->text();
    return out;
}

// A list with Add/Remove buttons under it; `add` returns the new entry or an empty string.
QWidget *editableList(QListWidget *list, QWidget *parent, std::function<QString()> add)
{
    auto *box = new QWidget(parent);
    auto *addButton = new QPushButton(SettingsDialog::tr("Add…"), box);
    auto *removeButton = new QPushButton(SettingsDialog::tr("Remove"), box);
    QObject::connect(addButton, &QPushButton::clicked, list, [list, add] {
        const QString entry = add();
        if (!entry.isEmpty() && list->findItems(entry, Qt::MatchExactly).isEmpty())
            list->addItem(entry);
    });
    QObject::connect(removeButton, &QPushButton::clicked, list,
                     [list] { delete list->currentItem(); });
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(addButton);
    buttons->addWidget(removeButton);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(list);
    layout->addLayout(buttons);
    return box;
}

QDoubleSpinBox *percentBox(QWidget *parent, const QString &name)
{
    auto *box = new QDoubleSpinBox(parent);
    box->setRange(0, 100);
    box->setDecimals(1);
    box->setSingleStep(0.5);
    box->setSuffix(u" %"_s);
    box->setAccessibleName(name);
    return box;
}
} // namespace

SettingsDialog::SettingsDialog(GuiSettings *settings, QWidget *parent, const QString &nickInUse)
    : QDialog(parent)
    , m_settings(settings)
    , m_nickInUse(nickInUse)
{
    setWindowTitle(tr("Hopshare settings"));
    auto *tabs = new QTabWidget(this);
    tabs->addTab(generalPage(), tr("&General"));
    tabs->addTab(filesPage(), tr("&Files"));
    tabs->addTab(transferPage(), tr("&Transfers and test conditions"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(tabs);
    layout->addWidget(buttons);
    load();
}

QWidget *SettingsDialog::generalPage()
{
    auto *page = new QWidget(this);
    m_nick = new QLineEdit(page);
    m_nick->setAccessibleName(tr("Nick"));
    m_nickError = new QLabel(page);
    m_nickError->setStyleSheet(u"color: #b00020"_s);
    m_nickError->setWordWrap(true);
    m_nickError->hide();
    connect(m_nick, &QLineEdit::textEdited, m_nickError, &QWidget::hide);
    m_language = new QComboBox(page);
    m_language->setAccessibleName(tr("Language"));
    m_language->addItem(tr("System default"), QString());
    m_language->addItem(u"English"_s, u"en"_s);
    m_language->addItem(u"Deutsch"_s, u"de"_s);
    m_servers = new QListWidget(page);
    m_servers->setAccessibleName(tr("Servers"));
    auto *form = new QFormLayout(page);
    form->addRow(tr("&Nick:"), m_nick);
    form->addRow(QString(), m_nickError);
    form->addRow(tr("&Language:"), m_language);
    form->addRow(QString(), new QLabel(tr("A new language applies at the next start."), page));
    m_showAddress = new QCheckBox(tr("Show my &IP address to room members"), page);
    m_showAddress->setToolTip(
            tr("Off: other members see no address for you and cannot address you by it. "
               "Your server always sees it. Applies at the next connection."));
    form->addRow(m_showAddress);
    form->addRow(tr("&Servers:"), editableList(m_servers, page, [this] {
                     QString entry = QInputDialog::getText(this, tr("Add server"),
                                                           tr("Server (host:port):"));
                     QString host;
                     quint16 port = 0;
                     return GuiSettings::parseServer(entry, &host, &port) ? entry.trimmed()
                                                                          : QString();
                 }));
    return page;
}

QWidget *SettingsDialog::filesPage()
{
    auto *page = new QWidget(this);
    m_shared = new QListWidget(page);
    m_shared->setAccessibleName(tr("Shared folders"));
    m_downloads = new QLineEdit(page);
    m_downloads->setAccessibleName(tr("Download folder"));
    auto *browse = new QPushButton(tr("Browse…"), page);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Download folder"),
                                                              m_downloads->text());
        if (!dir.isEmpty())
            m_downloads->setText(dir);
    });
    auto *downloadRow = new QHBoxLayout;
    downloadRow->addWidget(m_downloads, 1);
    downloadRow->addWidget(browse);
    m_slots = new QSpinBox(page);
    m_slots->setRange(1, 64);
    m_slots->setAccessibleName(tr("Upload slots"));
    m_rateLimit = new QSpinBox(page);
    m_rateLimit->setRange(0, 10'000'000);
    m_rateLimit->setSuffix(tr(" KiB/s"));
    m_rateLimit->setSpecialValueText(tr("unlimited"));
    m_rateLimit->setAccessibleName(tr("Upload rate limit"));
    auto *form = new QFormLayout(page);
    form->addRow(tr("S&hared folders:"), editableList(m_shared, page, [this] {
                     return QFileDialog::getExistingDirectory(this, tr("Share a folder"));
                 }));
    form->addRow(tr("&Download folder:"), downloadRow);
    form->addRow(tr("&Upload slots:"), m_slots);
    form->addRow(tr("Upload &rate limit:"), m_rateLimit);
    return page;
}

QWidget *SettingsDialog::transferPage()
{
    auto *page = new QWidget(this);
    auto *mode = new QGroupBox(tr("Transfer mode"), page);
    m_selectiveRepeat = new QRadioButton(tr("&Selective Repeat (recommended)"), mode);
    m_goBackN = new QRadioButton(tr("&Go-Back-N (for comparison)"), mode);
    auto *modeLayout = new QVBoxLayout(mode);
    modeLayout->addWidget(m_selectiveRepeat);
    modeLayout->addWidget(m_goBackN);

    auto *conditions = new QGroupBox(tr("Test conditions"), page);
    m_impair = new QCheckBox(tr("&Impair my transfers (for demonstrations)"), conditions);
    m_loss = percentBox(conditions, tr("Loss"));
    m_delay = new QSpinBox(conditions);
    m_delay->setRange(0, 10000);
    m_delay->setSuffix(tr(" ms"));
    m_delay->setAccessibleName(tr("Delay"));
    m_reorder = percentBox(conditions, tr("Reordering"));
    m_corrupt = percentBox(conditions, tr("Corruption"));
    m_spec = new QLabel(conditions);
    m_spec->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *form = new QFormLayout(conditions);
    form->addRow(m_impair);
    form->addRow(tr("&Loss:"), m_loss);
    form->addRow(tr("&Delay:"), m_delay);
    form->addRow(tr("&Reordering:"), m_reorder);
    form->addRow(tr("&Corruption:"), m_corrupt);
    form->addRow(tr("Spec:"), m_spec);
    m_skipCertificateCheck = new QCheckBox(
            tr("S&kip the server certificate check (for tests only: anyone on the network path "
               "could read and change the chat)"),
            conditions);
    form->addRow(m_skipCertificateCheck);
    for (auto *box : {m_loss, m_reorder, m_corrupt})
        connect(box, &QDoubleSpinBox::valueChanged, this, &SettingsDialog::updateSpec);
    connect(m_delay, &QSpinBox::valueChanged, this, &SettingsDialog::updateSpec);
    connect(m_impair, &QCheckBox::toggled, this, &SettingsDialog::updateSpec);

    auto *layout = new QVBoxLayout(page);
    layout->addWidget(mode);
    layout->addWidget(conditions);
    layout->addStretch(1);
    return page;
}

void SettingsDialog::load()
{
    m_nick->setText(m_settings->nick().isEmpty() ? m_nickInUse : m_settings->nick());
    m_language->setCurrentIndex(std::max(0, m_language->findData(m_settings->language())));
    m_servers->addItems(m_settings->servers());
    m_shared->addItems(m_settings->sharedFolders());
    m_downloads->setText(m_settings->downloadFolder());
    m_slots->setValue(m_settings->uploadSlots());
    m_rateLimit->setValue(m_settings->uploadRateLimitKiB());
    const bool gbn = m_settings->transferMode() == TransferMode::GoBackN;
    m_goBackN->setChecked(gbn);
    m_selectiveRepeat->setChecked(!gbn);
    const TestConditions c = m_settings->testConditions();
    m_impair->setChecked(c.enabled);
    m_loss->setValue(c.lossPercent);
    m_delay->setValue(c.delayMs);
    m_reorder->setValue(c.reorderPercent);
    m_corrupt->setValue(c.corruptPercent);
    m_skipCertificateCheck->setChecked(m_settings->tlsSettings().mode
                                       == Client::TlsSettings::Mode::Insecure);
    m_showAddress->setChecked(m_settings->showAddress());
    updateSpec();
}

TestConditions SettingsDialog::testConditions() const
{
    TestConditions c;
    c.enabled = m_impair->isChecked();
    c.lossPercent = m_loss->value();
    c.delayMs = m_delay->value();
    c.reorderPercent = m_reorder->value();
    c.corruptPercent = m_corrupt->value();
    return c;
}

void SettingsDialog::updateSpec()
{
    const bool on = m_impair->isChecked();
    for (QWidget *w : std::initializer_list<QWidget *> {m_loss, m_delay, m_reorder, m_corrupt})
        w->setEnabled(on);
    const QString spec = testConditions().spec();
    m_spec->setText(spec.isEmpty() ? tr("(off)") : spec);
}

void SettingsDialog::accept()
{
    // The dialog stays open on a nick the server would refuse, with the reason under it. An
    // empty field keeps the nick there was: it never blanks it.
    const QString nick = m_nick->text().trimmed();
    if (!nick.isEmpty() && (!Protocol::isValidNick(nick) || Protocol::isReservedNick(nick))) {
        m_nickError->setText(tr("\"%1\" cannot be a nick: up to 32 letters, digits, '_', '-' "
                                "or '.', starting with a letter, and not a command word.")
                                     .arg(nick));
        m_nickError->show();
        m_nick->setFocus();
        return;
    }
    if (!nick.isEmpty())
        m_settings->setNick(nick);
    m_settings->setLanguage(m_language->currentData().toString());
    m_settings->setServers(items(m_servers));
    m_settings->setSharedFolders(items(m_shared));
    m_settings->setDownloadFolder(m_downloads->text());
    m_settings->setUploadSlots(m_slots->value());
    m_settings->setUploadRateLimitKiB(m_rateLimit->value());
    m_settings->setTransferMode(m_goBackN->isChecked() ? TransferMode::GoBackN
                                                       : TransferMode::SelectiveRepeat);
    m_settings->setTestConditions(testConditions());
    m_settings->setSkipCertificateCheck(m_skipCertificateCheck->isChecked());
    m_settings->setShowAddress(m_showAddress->isChecked());
    QDialog::accept();
}

} // namespace Gui
