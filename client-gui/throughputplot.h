#pragma once

#include <QWidget>

class QComboBox;
class QCustomPlot;
class QTimer;

namespace Client {
class RateHistory;
}

namespace Gui {

// The live graph: aggregate download and upload rates over the last minutes, and the selected
// transfer's rate and congestion (pacing) rate, with its round trip on the right-hand axis.
// It redraws at most a few times a second, from RateHistory's series, whatever the rate of
// updates, so a busy transfer never floods the window with repaints. It shows the last minute
// by default (or the whole history, chosen above the plot) and scales the rate axis to what is
// visible, so a peak that scrolled out of view no longer flattens the rest. The legend sits
// under the plot, never over the lines.
class ThroughputPlot : public QWidget
{
    Q_OBJECT
public:
    enum Graph { DownGraph, UpGraph, SelectedRateGraph, CongestionGraph, RttGraph, GraphCount };

    explicit ThroughputPlot(Client::RateHistory *history, QWidget *parent = nullptr);

    [[nodiscard]] QCustomPlot *plot() const { return m_plot; }
    [[nodiscard]] int pointCount(Graph graph) const;
    // Redraws now (normally a timer does it when the history changed).
    void refresh();
    bool savePng(const QString &fileName);
    // How many seconds of history are shown (at most the history's window).
    void setVisibleSeconds(int seconds);
    [[nodiscard]] int visibleSeconds() const { return m_visibleSeconds; }
    // The largest value plotted on the rate axis in the visible span, in the axis unit.
    [[nodiscard]] double visiblePeak() const { return m_visiblePeak; }

public Q_SLOTS:
    void saveAs();

private:
    void updateAxes(double peak);
    void addGraph(Graph id, const QString &name, const QColor &color, bool rightAxis,
                  Qt::PenStyle style = Qt::SolidLine);

    Client::RateHistory *m_history;
    QCustomPlot *m_plot;
    QTimer *m_redraw;
    QComboBox *m_span;
    int m_visibleSeconds = 60;
    double m_visiblePeak = 0;
    bool m_dirty = false;
};

} // namespace Gui
