#!/usr/bin/env bash
# System packages the test suite needs: a PostgreSQL server (throwaway clusters for the
# ledger tests), a Java runtime (local Spark for the engine comparison) and the Pango
# libraries WeasyPrint renders PDFs with, Chromium for the web browser tests, and LibreOffice
# Writer (headless) to open the redline DOCX a drafted amendment renders. Installed with apt
# only when missing.
set -euo pipefail

missing=()
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi
if ! command -v java >/dev/null 2>&1; then
  missing+=(openjdk-17-jre-headless)
fi
if ! ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so'; then
  missing+=(libpango-1.0-0 libpangoft2-1.0-0)
fi
# The web app's browser tests drive Debian's Chromium (Playwright never downloads one).
if ! command -v chromium >/dev/null 2>&1; then
  missing+=(chromium)
fi
# A drafted amendment's redline DOCX must open in a real word processor (tests convert it).
if ! command -v soffice >/dev/null 2>&1 && ! command -v libreoffice >/dev/null 2>&1; then
  missing+=(libreoffice-writer-nogui)
fi
if ! command -v runuser >/dev/null 2>&1; then
  missing+=(util-linux)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "system-deps: PostgreSQL, Java, Pango, Chromium and LibreOffice present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "system-deps: missing ${missing[*]}; install them (apt-get install ${missing[*]}) or run as root" >&2
  exit 2
fi
echo "system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
