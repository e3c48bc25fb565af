// qcustomplot.h uses Qt's foreach inside its templates (see client-gui/throughputplot.cpp).
#undef QT_NO_FOREACH

#include <tests/client-gui/guidesktop.h>

#include <server-console/chat/chatserver.h>
#include <server-console/serverconfig.h>

#include <QApplication>
#include <QDockWidget>
#include <QScreen>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;

// The main window on a small laptop screen (1366 x 768) at QT_SCALE_FACTOR=2, which leaves
// 683 x 384 device-independent pixels: it must fit, docks included, with a room open.
class TestGuiScale : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void mainWindowFitsTheScreenAtScaleTwo()
    {
        Server::ServerConfig config;
        config.address = QHostAddress::LocalHost;
        config.port = 0;
        config.name = u"test-server"_s;
        Server::ChatServer server(config);
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        QTemporaryDir dir;
        auto alice = GuiDesktop::open(dir, server.port(), u"alice"_s);
        QTRY_VERIFY(alice->window.roomWindow(u"lobby"_s));

        QScreen *screen = alice->window.screen();
        QVERIFY(screen);
        QCOMPARE(screen->devicePixelRatio(), 2.0);
        const QSize available = screen->availableGeometry().size();
        QCOMPARE(available, QSize(683, 384));
        const QSize minimum
                = alice->window.minimumSizeHint().expandedTo(alice->window.minimumSize());
        qInfo("minimum %dx%d, available %dx%d", minimum.width(), minimum.height(),
              available.width(), available.height());
        QVERIFY2(minimum.width() <= available.width() && minimum.height() <= available.height(),
                 qPrintable(u"minimum %1x%2"_s.arg(minimum.width()).arg(minimum.height())));
        // A window opened on this screen is no larger than it.
        {
            Client::ClientCore core;
            Gui::GuiSettings settings(dir.filePath(u"plain.ini"_s));
            Gui::MainWindow plain(&core, &settings);
            QVERIFY(plain.width() <= available.width());
            QVERIFY(plain.height() <= available.height());
        }
        alice->window.resize(available);
        QTest::qWait(100);
        QCOMPARE(alice->window.size(), available);
        for (QDockWidget *d : alice->window.findChildren<QDockWidget *>())
            QVERIFY2(d->isVisible(), qPrintable(d->objectName()));
        QVERIFY(saveScreenshot(&alice->window, u"main-window-scale2"_s));
        QVERIFY(alice->window.grab().save(u"/tmp/hopshare-main-window-scale2.png"_s));
    }
};

int main(int argc, char **argv)
{
    // An offscreen screen the size of a small laptop's, at twice the scale: set before the
    // application starts, as a person's environment would.
    QTemporaryDir config;
    QFile json(config.filePath(u"screen.json"_s));
    if (!json.open(QIODevice::WriteOnly))
        return 2;
    json.write(R"({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366,
                  "height": 768, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]})");
    json.close();
    qputenv("QT_QPA_PLATFORM", "offscreen:configfile=" + json.fileName().toLocal8Bit());
    qputenv("QT_SCALE_FACTOR", "2");
    QApplication app(argc, argv);
    TestGuiScale test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_guiscale.moc"
