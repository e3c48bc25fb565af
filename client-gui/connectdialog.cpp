#include <client-gui/connectdialog.h>

#include <client-gui/guisettings.h>

#include <protocol/names.h>

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gui {

namespace {
enum ServerColumn { AddressColumn, RttColumn };
}

ConnectDialog::ConnectDialog(GuiSettings *settings, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_selector(new Client::ServerSelector(this))
    , m_nick(new QLineEdit(this))
    , m_servers(new QTreeWidget(this))
    , m_newServer(new QLineEdit(this))
    , m_add(new QPushButton(tr("&Add"), this))
    , m_rooms(new QLineEdit(this))
    , m_error(new QLabel(this))
{
    setWindowTitle(tr("Connect to Hopshare"));
    setWindowIcon(QIcon(u":/icons/hopshare.svg"_s));

    m_nick->setText(settings->nick());
    m_nick->setPlaceholderText(tr("Your nick"));
    m_nick->setAccessibleName(tr("Nick"));

    m_servers->setColumnCount(2);
    m_servers->setHeaderLabels({tr("Server"), tr("Round trip")});
    m_servers->setRootIsDecorated(false);
    m_servers->setAccessibleName(tr("Servers"));
    m_servers->header()->setSectionResizeMode(AddressColumn, QHeaderView::Stretch);
    for (const QString &s : settings->servers())
        new QTreeWidgetItem(m_servers, {s, QString()});
    m_servers->setCurrentItem(m_servers->topLevelItem(0));

    m_newServer->setPlaceholderText(tr("host:port"));
    m_newServer->setAccessibleName(tr("New server address"));
    auto *remove = new QPushButton(tr("&Remove"), this);
    auto *measureButton = new QPushButton(tr("&Measure"), this);
    remove->setAutoDefault(false);
    measureButton->setAutoDefault(false);
    m_add->setAutoDefault(false);
    m_add->setEnabled(false);
    connect(m_add, &QPushButton::clicked, this, &ConnectDialog::addServer);
    // Enter here adds the address; the filter keeps it from reaching the Connect button.
    m_newServer->installEventFilter(this);
    connect(m_newServer, &QLineEdit::textChanged, this, &ConnectDialog::checkNewServer);
    connect(remove, &QPushButton::clicked, this, &ConnectDialog::removeServer);
    connect(measureButton, &QPushButton::clicked, this, &ConnectDialog::measure);
    auto *serverRow = new QHBoxLayout;
    serverRow->addWidget(m_newServer, 1);
    serverRow->addWidget(m_add);
    serverRow->addWidget(remove);
    serverRow->addWidget(measureButton);

    m_rooms->setText(settings->rooms().join(u' '));
    m_rooms->setPlaceholderText(tr("Rooms, separated by spaces"));
    m_rooms->setAccessibleName(tr("Rooms"));

    m_error->setStyleSheet(u"color: #b00020"_s);
    m_error->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Connect"));
    connect(buttons, &QDialogButtonBox::accepted, this, &ConnectDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ConnectDialog::reject);

    auto *form = new QFormLayout;
    form->addRow(tr("&Nick:"), m_nick);
    form->addRow(tr("&Servers:"), m_servers);
    form->addRow(QString(), serverRow);
    form->addRow(tr("R&ooms:"), m_rooms);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);

    connect(m_selector, &Client::ServerSelector::finished, this, &ConnectDialog::showMeasurements);
    measure();
}

QString ConnectDialog::nick() const
{
    return m_nick->text().trimmed();
}

QString ConnectDialog::server() const
{
    const QTreeWidgetItem *item = m_servers->currentItem();
    return item ? item->text(AddressColumn) : QString();
}

namespace {
Client::ServerCandidate candidateFor(const QString &entry)
{
    Client::ServerCandidate c;
    if (!GuiSettings::parseServer(entry, &c.host, &c.port))
        c = {}; // an empty host fails at once
    return c;
}
} // namespace

QList<Client::ServerCandidate> ConnectDialog::servers() const
{
    QList<Client::ServerCandidate> listed;
    for (const QString &entry : serverEntries()) {
        Client::ServerCandidate c = candidateFor(entry);
        for (const Client::ServerCandidate &m : m_measured) {
            if (!c.host.isEmpty() && m.address() == c.address())
                c = m;
        }
        if (!c.host.isEmpty())
            listed.append(c);
    }
    listed = Client::ServerSelector::ranked(listed);
    const Client::ServerCandidate chosen = candidateFor(server());
    for (qsizetype i = 0; i < listed.size(); ++i) {
        if (listed[i].address() == chosen.address()) {
            listed.move(i, 0);
            break;
        }
    }
    return listed;
}

QStringList ConnectDialog::rooms() const
{
    return m_rooms->text().split(u' ', Qt::SkipEmptyParts);
}

QStringList ConnectDialog::serverEntries() const
{
    QStringList out;
    for (int i = 0; i < m_servers->topLevelItemCount(); ++i)
        out << m_servers->topLevelItem(i)->text(AddressColumn);
    return out;
}

bool ConnectDialog::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_newServer && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if ((key == Qt::Key_Return || key == Qt::Key_Enter)
            && !m_newServer->text().trimmed().isEmpty()) {
            addServer();
            return true; // handled: Connect is not pressed as well
        }
    }
    return QDialog::eventFilter(watched, event);
}

void ConnectDialog::checkNewServer()
{
    const QString entry = m_newServer->text().trimmed();
    QString host;
    quint16 port = 0;
    const bool valid = GuiSettings::parseServer(entry, &host, &port);
    m_add->setEnabled(valid);
    if (entry.isEmpty() || valid) {
        if (m_error->property("fromNewServer").toBool())
            m_error->clear();
        return;
    }
    m_error->setText(tr("'%1' is not a server address: host:port, e.g. chat.example.org:7400 "
                        "or [2001:db8::1]:7400.")
                             .arg(entry));
    m_error->setProperty("fromNewServer", true);
}

void ConnectDialog::addServer()
{
    QString host;
    quint16 port = 0;
    const QString entry = m_newServer->text().trimmed();
    if (!GuiSettings::parseServer(entry, &host, &port)) {
        checkNewServer(); // says why, and keeps saying it until the entry is fixed
        return;
    }
    const QString address = Client::ServerCandidate {host, port, {}, -1, {}}.address();
    for (int i = 0; i < m_servers->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_servers->topLevelItem(i);
        if (candidateFor(item->text(AddressColumn)).address() == address) {
            m_servers->setCurrentItem(item); // already listed
            m_newServer->clear();
            return;
        }
    }
    auto *item = new QTreeWidgetItem(m_servers, {entry, QString()});
    m_servers->setCurrentItem(item);
    m_newServer->clear();
    measure();
}

void ConnectDialog::removeServer()
{
    delete m_servers->currentItem();
}

void ConnectDialog::measure()
{
    QList<Client::ServerCandidate> candidates;
    for (const QString &entry : serverEntries())
        candidates.append(candidateFor(entry));
    for (int i = 0; i < m_servers->topLevelItemCount(); ++i)
        m_servers->topLevelItem(i)->setText(RttColumn, tr("measuring…"));
    m_measured.clear();
    m_selector->probe(candidates);
}

void ConnectDialog::showMeasurements(const QList<Client::ServerCandidate> &ranked)
{
    m_measured = ranked;
    for (int i = 0; i < m_servers->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_servers->topLevelItem(i);
        const Client::ServerCandidate c = candidateFor(item->text(AddressColumn));
        item->setText(RttColumn, tr("unreachable"));
        for (int rank = 0; rank < ranked.size(); ++rank) {
            const Client::ServerCandidate &m = ranked.at(rank);
            if (c.host.isEmpty() || m.address() != c.address() || m.rttMs < 0)
                continue;
            QString text = tr("%1 ms (%2)").arg(m.rttMs, 0, 'f', 1).arg(m.name);
            if (rank == 0) {
                text = tr("%1, closest").arg(text);
                m_servers->setCurrentItem(item);
            }
            item->setText(RttColumn, text);
            item->setToolTip(RttColumn, m.name);
        }
    }
}

QString ConnectDialog::validationError() const
{
    if (!Protocol::isValidNick(nick()))
        return tr("Choose a nick: letters, digits, '_', '-' or '.', starting with a letter.");
    QString host;
    quint16 port = 0;
    if (!GuiSettings::parseServer(server(), &host, &port))
        return tr("Choose a server from the list.");
    for (const QString &room : rooms()) {
        if (!Protocol::isValidRoom(room))
            return tr("'%1' is not a valid room name.").arg(room);
    }
    return {};
}

void ConnectDialog::accept()
{
    const QString error = validationError();
    if (!error.isEmpty()) {
        m_error->setText(error);
        m_error->setProperty("fromNewServer", false);
        return;
    }
    QStringList servers = serverEntries();
    servers.removeAll(server());
    servers.prepend(server());
    m_settings->setNick(nick());
    m_settings->setServers(servers);
    m_settings->setRooms(rooms());
    QDialog::accept();
}

} // namespace Gui
