#!/usr/bin/env bash
# Installs the Debian packages Fluxion builds against (OpenBLAS, LAPACKE, FFTW, zlib, pkg-config)
# when any is missing. Idempotent: when everything is present it only checks, quietly, in well under
# a second.
set -euo pipefail

packages=(libopenblas-dev liblapacke-dev libfftw3-dev zlib1g-dev pkg-config)
missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "setup: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
