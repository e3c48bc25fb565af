// qcustomplot.h uses Qt's foreach inside its templates; the project forbids foreach in its own
// code, so lift the ban for this one third-party header only (before anything includes qglobal).
#undef QT_NO_FOREACH

#include <bench/plotter.h>

#include <qcustomplot.h>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace Bench {

namespace {

constexpr int kWidth = 900;
constexpr int kHeight = 560;

QColor seriesColor(qsizetype index)
{
    static const std::array<QColor, 8> colors
            = {QColor(31, 119, 180),  QColor(255, 127, 14),  QColor(44, 160, 44),
               QColor(214, 39, 40),   QColor(148, 103, 189), QColor(140, 86, 75),
               QColor(227, 119, 194), QColor(127, 127, 127)};
    return colors[std::size_t(index) % colors.size()];
}

} // namespace

bool Plotter::savePng(const PlotSpec &spec, const QString &path, QString *error)
{
    QCustomPlot plot;
    plot.resize(kWidth, kHeight);
    plot.plotLayout()->insertRow(0);
    plot.plotLayout()->addElement(0, 0, new QCPTextElement(&plot, spec.title));
    plot.xAxis->setLabel(spec.xLabel);
    plot.yAxis->setLabel(spec.yLabel);
    plot.legend->setVisible(true);
    double xMin = 0, xMax = 1, yMax = 1;
    bool first = true;
    double yMin = 0;
    for (qsizetype i = 0; i < spec.series.size(); ++i) {
        const PlotSeries &s = spec.series[i];
        QVector<double> xs, ys;
        for (qsizetype k = 0; k < std::min(s.x.size(), s.y.size()); ++k) {
            if (spec.logY && s.y[k] <= 0)
                continue;
            xs << s.x[k];
            ys << s.y[k];
        }
        QCPGraph *graph = plot.addGraph();
        graph->setName(s.name);
        graph->setData(xs, ys);
        graph->setPen(QPen(seriesColor(i), 2));
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 6));
        for (qsizetype k = 0; k < xs.size(); ++k) {
            xMin = first ? xs[k] : std::min(xMin, xs[k]);
            xMax = first ? xs[k] : std::max(xMax, xs[k]);
            yMin = first ? ys[k] : std::min(yMin, ys[k]);
            yMax = std::max(yMax, ys[k]);
            first = false;
        }
    }
    if (spec.reference) {
        QCPGraph *graph = plot.addGraph();
        graph->setName(spec.referenceName);
        graph->setData(QVector<double> {xMin, xMax},
                       QVector<double> {*spec.reference, *spec.reference});
        graph->setPen(QPen(Qt::black, 1.5, Qt::DashLine));
        yMax = std::max(yMax, *spec.reference);
    }
    const double xPad = std::max(1e-9, (xMax - xMin) * 0.03);
    plot.xAxis->setRange(xMin - xPad, xMax + xPad);
    if (spec.logY) {
        plot.yAxis->setScaleType(QCPAxis::stLogarithmic);
        plot.yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
        plot.yAxis->setRange(std::max(1e-3, yMin / 2), yMax * 2);
    } else {
        plot.yAxis->setRange(0, yMax * 1.1);
    }
    if (!plot.savePng(path, kWidth, kHeight)) {
        *error = u"cannot write plot %1"_s.arg(path);
        return false;
    }
    return true;
}

} // namespace Bench
