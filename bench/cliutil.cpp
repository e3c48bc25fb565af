#include <bench/cliutil.h>

#include <transfer/impairment/impairment.h>

#include <QJsonDocument>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace Bench {

void printJsonLine(const QJsonObject &object)
{
    QTextStream(stdout) << QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact))
                        << Qt::endl;
}

std::optional<Endpoint> parseEndpoint(const QString &text, QString *error)
{
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon <= 0) {
        *error = u"expected ADDRESS:PORT, got '%1'"_s.arg(text);
        return std::nullopt;
    }
    QString host = text.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const uint port = text.mid(colon + 1).toUInt(&ok);
    Endpoint endpoint {QHostAddress(host), quint16(port)};
    if (endpoint.address.isNull() || !ok || port > 65535) {
        *error = u"expected a numeric ADDRESS:PORT, got '%1'"_s.arg(text);
        return std::nullopt;
    }
    return endpoint;
}

std::optional<std::int64_t> parseSize(const QString &text, QString *error)
{
    // The impairment spec already validates byte sizes with units; reuse its parser.
    const auto spec = Transfer::ImpairmentSpec::parse(QString(u"queue="_s + text), error);
    if (!spec)
        return std::nullopt;
    if (spec->queueBytes == 0) {
        *error = u"size must be positive: '%1'"_s.arg(text);
        return std::nullopt;
    }
    return std::int64_t(spec->queueBytes);
}

} // namespace Bench
