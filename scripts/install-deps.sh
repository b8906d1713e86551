#!/usr/bin/env bash
# Installs the Debian 12 packages skillbook needs to build, run and test.
# Run as root (or through sudo). Idempotent.
set -euo pipefail
pkgs=(
  build-essential cmake pkg-config
  libxml2-dev libcairo2-dev libfreetype-dev libhpdf-dev libunibreak-dev zlib1g-dev
  libssl-dev libcsv-dev liblcms2-dev libdeflate-dev
  # skillbook collect reads filled packs with qpdf's C API (src/forms/)
  libqpdf-dev
  # tests: the PDF readers no one here wrote, and the tools the scripts use
  poppler-utils qpdf mupdf-tools ghostscript libxml2-utils python3 python3-pikepdf python3-pil chromium
  parallel
  procps git
  # tests/cli/batch.sh: the batch syncs once (fsync, syncfs, sync_file_range calls)
  strace
  # install and package tests: manual pages, a Debian 12 root for the .deb
  man-db mmdebstrap
  # fuzzing and sanitizers
  clang libclang-rt-14-dev
)
if [ "$(id -u)" -ne 0 ]; then
  exec sudo "$0" "$@"
fi
export DEBIAN_FRONTEND=noninteractive
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
