#pragma once

#include <share/indexedfile.h>
#include <share/sharedfile.h>

#include <QLatin1StringView>
#include <QString>

namespace Share {

// The answer to "may this file be served, and from where?".
struct UploadResolution
{
    enum class Status {
        Ok,
        InvalidKey, // neither a file id nor a SHA-256 in hex: names and paths are never keys
        NotFound, // no indexed file has that id or digest
        OutsideRoot, // the file or its root now resolves outside the shared root
        Gone, // deleted, replaced or modified since it was indexed
    };
    Status status = Status::NotFound;
    QString path; // canonical absolute path; set only when status is Ok
    SharedFile file; // the index entry; set for Ok, OutsideRoot and Gone
    [[nodiscard]] bool ok() const { return status == Status::Ok; }
};

// Stable lower-case names for logs and error replies (not toString(): QTest finds that by ADL):
// "ok", "invalid-key", "not-found", "outside-root", "gone".
[[nodiscard]] QLatin1StringView uploadStatusName(UploadResolution::Status status);

// Checks an indexed file on disk right now: its root must still canonicalise to itself, the file
// must canonicalise to the same target inside the root, and size and mtime must be unchanged.
// Status is Ok (with the canonical path), OutsideRoot or Gone.
[[nodiscard]] UploadResolution verifyOnDisk(const IndexedFile &entry);

} // namespace Share
