#!/usr/bin/env bash
# Installs the Debian packages Hopshare needs to build, test and run. Idempotent: only what is
# missing is installed. As root it runs apt-get; otherwise it prints the one line to run.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config clang-format
  clang libclang-rt-14-dev
  qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  qt6-svg-dev libqt6svg6 libqcustomplot-dev libssl-dev libgl-dev
  qt6-translations-l10n
  iproute2 nftables ethtool iputils-ping procps jq conntrack tcpdump
  python3 python3-cryptography
)
# Optional, for a desktop demo without a real display.
OPTIONAL=(xvfb)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "deps: all required packages are installed"
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "deps: missing packages: ${missing[*]}" >&2
  echo "deps: run this as root, then try again:" >&2
  echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
apt-get install -y -qq --no-install-recommends "${OPTIONAL[@]}" >/dev/null 2>&1 || true
echo "deps: done"
