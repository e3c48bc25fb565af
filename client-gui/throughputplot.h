#pragma once

#include <QWidget>

class QCustomPlot;
class QTimer;

namespace Client {
class RateHistory;
}

namespace Gui {

// The live graph: aggregate download and upload rates over the last minutes, and the selected
// transfer's rate and congestion (pacing) rate, with its round trip on the right-hand axis.
// It redraws at most a few times a second, from RateHistory's series, whatever the rate of
// updates, so a busy transfer never floods the window with repaints.
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

public Q_SLOTS:
    void saveAs();

private:
    void updateAxes(double peak);
    void addGraph(Graph id, const QString &name, const QColor &color, bool rightAxis,
                  Qt::PenStyle style = Qt::SolidLine);

    Client::RateHistory *m_history;
    QCustomPlot *m_plot;
    QTimer *m_redraw;
    bool m_dirty = false;
};

} // namespace Gui
