// qcustomplot.h uses Qt's foreach inside its templates; the project forbids foreach in its own
// code, so the ban is lifted for this translation unit only, before anything includes qglobal.
#undef QT_NO_FOREACH

#include <client-gui/throughputplot.h>

#include <client/ratehistory.h>

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QTimer>
#include <QVBoxLayout>
#include <qcustomplot.h>

using namespace Qt::StringLiterals;

namespace Gui {

namespace {
constexpr int kRedrawMs = 250;
constexpr double kKiB = 1024.0;
} // namespace

ThroughputPlot::ThroughputPlot(Client::RateHistory *history, QWidget *parent)
    : QWidget(parent)
    , m_history(history)
    , m_plot(new QCustomPlot(this))
    , m_redraw(new QTimer(this))
    , m_span(new QComboBox(this))
{
    setObjectName(u"throughput"_s);
    setAccessibleName(tr("Throughput graph"));
    // Small enough to share a 683 x 384 screen (1366 x 768 at QT_SCALE_FACTOR=2) with the
    // rooms and the other docks; the dock is made larger whenever there is room.
    setMinimumSize(240, 100);
    m_plot->setAccessibleName(tr("Throughput graph"));
    addGraph(DownGraph, tr("Download (all)"), QColor(25, 118, 210), false);
    addGraph(UpGraph, tr("Upload (all)"), QColor(56, 142, 60), false);
    addGraph(SelectedRateGraph, tr("Selected transfer"), QColor(245, 124, 0), false);
    addGraph(CongestionGraph, tr("Congestion rate"), QColor(123, 31, 162), false, Qt::DashLine);
    addGraph(RttGraph, tr("Round trip"), QColor(211, 47, 47), true, Qt::DotLine);
    m_plot->graph(DownGraph)->setBrush(QColor(25, 118, 210, 40));

    m_plot->xAxis->setLabel(tr("seconds ago"));
    m_plot->legend->setVisible(true);
    QFont legendFont = font();
    legendFont.setPointSizeF(legendFont.pointSizeF() * 0.8);
    m_plot->legend->setFont(legendFont);
    m_plot->legend->setRowSpacing(-2);
    m_plot->legend->setBorderPen(Qt::NoPen);
    // Under the axis rect, in columns: it never hides a line.
    m_plot->axisRect()->insetLayout()->take(m_plot->legend);
    m_plot->plotLayout()->addElement(1, 0, m_plot->legend);
    m_plot->plotLayout()->setRowStretchFactor(1, 0.001);
    m_plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    m_plot->legend->setWrap(3);
    m_plot->legend->setMargins(QMargins(4, 0, 4, 2));
    m_plot->setNoAntialiasingOnDrag(true);
    // The right axis's name runs along it: in a short dock (a 1000 x 640 window) it was longer
    // than the axis and cut off by the widget's edge. Then the unit alone, as on the left axis
    // (the legend names the line). Decided once the axes are laid out, before they are drawn.
    connect(m_plot, &QCustomPlot::afterLayout, this, [this] {
        const QString name = tr("round trip (ms)");
        const int length = QFontMetrics(m_plot->yAxis2->labelFont()).horizontalAdvance(name) + 8;
        m_plot->yAxis2->setLabel(m_plot->axisRect()->height() >= length ? name : tr("ms"));
        // A tick label every 25 px at most: six in 43 px ran into each other.
        const int ticks = std::clamp(m_plot->axisRect()->height() / 25, 2, 5);
        m_plot->yAxis->ticker()->setTickCount(ticks);
        m_plot->yAxis2->ticker()->setTickCount(ticks);
    });

    const int kept = int(m_history->window().count() / 1000);
    for (const int seconds : {60, 300, 900}) {
        if (seconds < kept)
            m_span->addItem(tr("Last %n min", nullptr, seconds / 60), seconds);
    }
    m_span->addItem(tr("Last %n min", nullptr, std::max(1, kept / 60)), kept);
    m_span->setAccessibleName(tr("Time shown"));
    m_visibleSeconds = std::min(m_visibleSeconds, kept);
    m_span->setCurrentIndex(std::max(0, m_span->findData(m_visibleSeconds)));
    connect(m_span, &QComboBox::activated, this,
            [this](int index) { setVisibleSeconds(m_span->itemData(index).toInt()); });

    auto *saveAction = new QAction(tr("Save graph as PNG…"), this);
    saveAction->setShortcut(QKeySequence::Save);
    saveAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(saveAction, &QAction::triggered, this, &ThroughputPlot::saveAs);
    addAction(saveAction);
    setContextMenuPolicy(Qt::ActionsContextMenu);

    auto *top = new QHBoxLayout;
    top->setContentsMargins(4, 2, 4, 0);
    top->addStretch(1);
    auto *spanLabel = new QLabel(tr("&Show:"), this);
    spanLabel->setBuddy(m_span);
    top->addWidget(spanLabel);
    top->addWidget(m_span);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(top);
    layout->addWidget(m_plot, 1);

    connect(history, &Client::RateHistory::updated, this, [this] { m_dirty = true; });
    m_redraw->setInterval(kRedrawMs);
    connect(m_redraw, &QTimer::timeout, this, [this] {
        if (m_dirty && isVisible())
            refresh();
    });
    m_redraw->start();
    refresh();
}

void ThroughputPlot::addGraph(Graph id, const QString &name, const QColor &color, bool rightAxis,
                              Qt::PenStyle style)
{
    QCPGraph *g = m_plot->addGraph(m_plot->xAxis, rightAxis ? m_plot->yAxis2 : m_plot->yAxis);
    Q_ASSERT(m_plot->graphCount() == id + 1);
    g->setName(name);
    QPen pen(color);
    pen.setWidthF(1.6);
    pen.setStyle(style);
    g->setPen(pen);
}

int ThroughputPlot::pointCount(Graph graph) const
{
    return m_plot->graph(graph)->dataCount();
}

void ThroughputPlot::refresh()
{
    m_dirty = false;
    // Two columns of legend entries in a narrow dock, three where there is room.
    m_plot->legend->setWrap(width() < 520 ? 2 : 3);
    const auto &agg = m_history->aggregate();
    const auto &sel = m_history->selected();
    const double now = agg.isEmpty() ? 0.0 : agg.constLast().timeS;
    // Only what is on screen sets the scale.
    const double from = now - m_visibleSeconds;
    double peak = 0;
    for (const auto &p : agg) {
        if (p.timeS >= from)
            peak = std::max({peak, p.up, p.down});
    }
    for (const auto &p : sel) {
        if (p.timeS >= from)
            peak = std::max({peak, p.rate, p.congestionRate});
    }
    // KiB/s until the rates are big enough for MiB/s to read better.
    const bool mebi = peak >= 2 * kKiB * kKiB;
    const double unit = mebi ? kKiB * kKiB : kKiB;
    m_plot->yAxis->setLabel(mebi ? tr("MiB/s") : tr("KiB/s"));

    QList<double> t, down, up;
    for (const auto &p : agg) {
        t << p.timeS - now;
        down << p.down / unit;
        up << p.up / unit;
    }
    m_plot->graph(DownGraph)->setData(t, down, true);
    m_plot->graph(UpGraph)->setData(t, up, true);
    QList<double> ts, rate, cong, rtt;
    for (const auto &p : sel) {
        ts << p.timeS - now;
        rate << p.rate / unit;
        cong << p.congestionRate / unit;
        rtt << p.rttMs;
    }
    m_plot->graph(SelectedRateGraph)->setData(ts, rate, true);
    m_plot->graph(CongestionGraph)->setData(ts, cong, true);
    m_plot->graph(RttGraph)->setData(ts, rtt, true);
    updateAxes(peak / unit);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ThroughputPlot::updateAxes(double peak)
{
    // The selected transfer's lines (and their legend entries) only while one is selected.
    const bool selected = !m_history->selectedTransfer().isEmpty();
    for (int g : {SelectedRateGraph, CongestionGraph, RttGraph}) {
        QCPGraph *graph = m_plot->graph(g);
        graph->setVisible(selected);
        if (selected)
            graph->addToLegend();
        else
            graph->removeFromLegend();
    }
    m_plot->yAxis2->setVisible(selected);
    m_plot->xAxis->setRange(-m_visibleSeconds, 0);
    m_visiblePeak = peak;
    m_plot->yAxis->setRange(0, std::max(1.0, peak * 1.1));
    bool found = false;
    const QCPRange rttRange = m_plot->graph(RttGraph)->getValueRange(
            found, QCP::sdBoth, QCPRange(-m_visibleSeconds, 0));
    m_plot->yAxis2->setRange(0, found ? std::max(1.0, rttRange.upper * 1.2) : 100.0);
}

void ThroughputPlot::setVisibleSeconds(int seconds)
{
    const int history = int(m_history->window().count() / 1000);
    m_visibleSeconds = std::clamp(seconds, 10, std::max(10, history));
    if (const int index = m_span->findData(m_visibleSeconds); index >= 0)
        m_span->setCurrentIndex(index);
    refresh();
}

bool ThroughputPlot::savePng(const QString &fileName)
{
    refresh();
    m_plot->replot();
    return m_plot->savePng(fileName, 0, 0, 1.0, -1, 96);
}

void ThroughputPlot::saveAs()
{
    const QString fileName = QFileDialog::getSaveFileName(
            this, tr("Save graph"), u"throughput.png"_s, tr("PNG images (*.png)"));
    if (!fileName.isEmpty())
        savePng(fileName);
}

} // namespace Gui
