#!/bin/sh
# Installs what the build needs from Debian/Ubuntu: LibreOffice Writer (headless), fonts that
# are metric-compatible with Arial, Times New Roman, Calibri and Cambria (so templates set in
# them lay out as in Word), a font with Arabic and Hebrew letters, and the PDF tools the tests
# use. Run as root, or it prints the command to run.
set -eu
packages="libreoffice-writer-nogui python3-uno fonts-liberation2 fonts-crosextra-carlito fonts-crosextra-caladea fonts-dejavu-core qpdf poppler-utils time"

if ! command -v apt-get >/dev/null 2>&1; then
    echo "LibreOffice is missing and this is not a Debian/Ubuntu machine: install LibreOffice (soffice) and the Liberation, Carlito and DejaVu fonts with your package manager, then run make again." >&2
    exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "LibreOffice is missing. Install it with: sudo apt-get update && sudo apt-get install -y --no-install-recommends $packages" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends $packages
