#pragma once

#include <QList>
#include <QString>
#include <QVector>

#include <optional>

namespace Bench {

struct PlotSeries
{
    QString name;
    QVector<double> x;
    QVector<double> y;
};

struct PlotSpec
{
    QString title;
    QString xLabel;
    QString yLabel;
    QList<PlotSeries> series;
    // A horizontal reference line (the TCP baseline of the same run), drawn dashed.
    std::optional<double> reference;
    QString referenceName;
    // Goodputs span three decades (TCP on loopback against a lossy GBN); a log axis keeps every
    // line readable. Non-positive points are left out on a log axis.
    bool logY = false;
};

// Renders line charts to PNG offscreen with QCustomPlot. Needs a QApplication (any platform
// plugin, "offscreen" included); never shows a window.
class Plotter
{
public:
    [[nodiscard]] static bool savePng(const PlotSpec &spec, const QString &path, QString *error);
};

} // namespace Bench
