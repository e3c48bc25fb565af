#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace Bench {

// A table of results with named columns, written as CSV (for spreadsheets and gnuplot) and as
// JSON (rows plus the run's metadata: machine, file size, baseline).
class ResultTable
{
public:
    explicit ResultTable(QStringList columns);

    void addRow(const QJsonObject &row);
    void setMeta(const QJsonObject &meta) { m_meta = meta; }
    [[nodiscard]] const QList<QJsonObject> &rows() const { return m_rows; }
    [[nodiscard]] const QStringList &columns() const { return m_columns; }

    [[nodiscard]] bool writeCsv(const QString &path, QString *error) const;
    [[nodiscard]] bool writeJson(const QString &path, QString *error) const;
    [[nodiscard]] QString toText() const; // aligned columns for the terminal

private:
    QStringList m_columns;
    QList<QJsonObject> m_rows;
    QJsonObject m_meta;
};

} // namespace Bench
