#pragma once

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

// Starts the real binaries and always stops them by PID, even when a test fails half-way.
class ProcessHarness
{
public:
    ~ProcessHarness()
    {
        for (auto &p : m_processes) {
            if (p->state() != QProcess::NotRunning) {
                p->kill();
                p->waitForFinished(3000);
            }
        }
    }

    QProcess *start(const QString &program, const QStringList &args)
    {
        auto process = std::make_unique<QProcess>();
        // Every process gets a data and config folder of its own under a temporary directory:
        // a client's identity key and known peers never land in the real home, and two
        // clients of one test are two people. Generated server certificates and pinned
        // fingerprints stay there too.
        const QString profile = m_profiles.filePath(QStringLiteral("p%1").arg(m_processes.size()));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_DATA_HOME"), profile + QStringLiteral("/data"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), profile + QStringLiteral("/config"));
        process->setProcessEnvironment(env);
        process->start(program, args);
        if (!process->waitForStarted(5000))
            return nullptr;
        m_processes.push_back(std::move(process));
        return m_processes.back().get();
    }

    // Starts hopshare-server on an ephemeral port (plus `extraArgs`) and returns the port it
    // reports, 0 on failure.
    quint16 startServer(const QString &binary, const QString &name, QProcess **out = nullptr,
                        const QStringList &extraArgs = {})
    {
        QProcess *server
                = start(binary,
                        QStringList {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                     QStringLiteral("--name"), name}
                                + extraArgs);
        if (!server)
            return 0;
        if (out)
            *out = server;
        static const QRegularExpression listening(QStringLiteral("listening on [^ ]+:(\\d+)"));
        const QByteArray log = readUntil(server, QProcess::StandardError, "listening on", 5000);
        const auto match = listening.match(QString::fromUtf8(log));
        return match.hasMatch() ? quint16(match.captured(1).toUInt()) : 0;
    }

    // Reads one channel until `needle` shows up or the time is over; returns what was read.
    static QByteArray readUntil(QProcess *process, QProcess::ProcessChannel channel,
                                const QByteArray &needle, int timeoutMs)
    {
        process->setReadChannel(channel);
        QByteArray out;
        QElapsedTimer timer;
        timer.start();
        while (!out.contains(needle) && timer.elapsed() < timeoutMs) {
            process->waitForReadyRead(100);
            out += process->readAll();
        }
        return out;
    }

    // Parses JSON lines; a line that is not a JSON object fails the caller's check.
    static QList<QJsonObject> events(const QByteArray &output, bool *allValid)
    {
        QList<QJsonObject> out;
        *allValid = true;
        for (const QByteArray &line : output.split('\n')) {
            if (line.trimmed().isEmpty())
                continue;
            const QJsonDocument doc = QJsonDocument::fromJson(line);
            if (!doc.isObject() || !doc.object().contains(QStringLiteral("event")))
                *allValid = false;
            else
                out.append(doc.object());
        }
        return out;
    }

    static QList<QJsonObject> ofType(const QList<QJsonObject> &events, const QString &type)
    {
        QList<QJsonObject> out;
        for (const auto &e : events) {
            if (e.value(QStringLiteral("event")).toString() == type)
                out.append(e);
        }
        return out;
    }

    [[nodiscard]] QString home() const { return m_home.path(); }

private:
    QTemporaryDir m_profiles;
    QTemporaryDir m_home; // scratch files of the test itself (home())
    std::vector<std::unique_ptr<QProcess>> m_processes;
};
