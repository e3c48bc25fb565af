#pragma once

#include <QJsonObject>
#include <QString>

// What TLS costs the control plane: one ClientCore against a TLS server and one against a
// --plain server, in the same run, each timing its connection (TCP + TLS + hello) and a
// series of pings one after the other. Returns {tls: {...}, plain: {...}, p50 ratio}.
QJsonObject measureControlLatency(const QString &serverBinary, int pings);
