#!/usr/bin/env bash
# Fails when a tracked C++ file differs from what clang-format makes of it with the repository's
# .clang-format (the fuzz corpus is data, not code). Run by scripts/test.sh before building.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "format-check: clang-format is missing (scripts/deps.sh installs it)" >&2; exit 1; }
mapfile -t files < <(git ls-files '*.h' '*.cpp' | grep -v '^tests/fuzz/corpus/')
if ! clang-format --dry-run --Werror "${files[@]}"; then
  echo "format-check: the files above are not formatted; run: clang-format -i <file>" >&2
  exit 1
fi
echo "format-check: ${#files[@]} files formatted"
