#include <bench/results.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Bench {

namespace {

QString cell(const QJsonValue &value)
{
    if (value.isDouble()) {
        const double v = value.toDouble();
        return v == double(qint64(v)) && std::abs(v) < 1e15 ? QString::number(qint64(v))
                                                            : QString::number(v, 'f', 3);
    }
    if (value.isBool())
        return value.toBool() ? u"yes"_s : u"no"_s;
    return value.toString();
}

QString csvEscape(const QString &text)
{
    if (!text.contains(u',') && !text.contains(u'"') && !text.contains(u'\n'))
        return text;
    QString quoted = text;
    quoted.replace(u"\""_s, u"\"\""_s);
    return u'"' + quoted + u'"';
}

bool writeAll(const QString &path, const QByteArray &data, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        *error = u"cannot write %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace

ResultTable::ResultTable(QStringList columns)
    : m_columns(std::move(columns))
{ }

void ResultTable::addRow(const QJsonObject &row)
{
    m_rows.append(row);
}

bool ResultTable::writeCsv(const QString &path, QString *error) const
{
    QString text = m_columns.join(u',') + u'\n';
    for (const QJsonObject &row : m_rows) {
        QStringList cells;
        for (const QString &column : m_columns)
            cells << csvEscape(cell(row.value(column)));
        text += cells.join(u',') + u'\n';
    }
    return writeAll(path, text.toUtf8(), error);
}

bool ResultTable::writeJson(const QString &path, QString *error) const
{
    QJsonArray rows;
    for (const QJsonObject &row : m_rows)
        rows.append(row);
    QJsonObject root = m_meta;
    root.insert(u"rows"_s, rows);
    return writeAll(path, QJsonDocument(root).toJson(QJsonDocument::Indented), error);
}

QString ResultTable::toText() const
{
    QList<qsizetype> widths;
    for (const QString &column : m_columns)
        widths << column.size();
    QList<QStringList> cells;
    for (const QJsonObject &row : m_rows) {
        QStringList line;
        for (qsizetype i = 0; i < m_columns.size(); ++i) {
            line << cell(row.value(m_columns[i]));
            widths[i] = std::max(widths[i], line.back().size());
        }
        cells << line;
    }
    auto format = [&](const QStringList &line) {
        QString out;
        for (qsizetype i = 0; i < line.size(); ++i)
            out.append(line[i].rightJustified(widths[i] + 2));
        out.append(u'\n');
        return out;
    };
    QString text = format(m_columns);
    for (const QStringList &line : cells)
        text += format(line);
    return text;
}

} // namespace Bench
