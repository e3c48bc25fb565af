// Precompiled for the Hopshare libraries (hopshare_precompile_headers): the Qt Core and
// standard headers that most of their files include. Parsing these took about a third of the
// compile time of a typical file. Nothing here is a Hopshare header, so that editing the
// project never rebuilds the header.

#include <QByteArray>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>
