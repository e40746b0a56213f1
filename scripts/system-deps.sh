#!/usr/bin/env bash
# Debian packages the tests need (headless Chromium for web-page tests), installed
# only when missing. Idempotent; needs root or sudo the first time.
set -euo pipefail
# maven, unzip, curl: the Elasticsearch test node (scripts/elasticsearch.sh); hunspell-fr: its French stemming
PACKAGES=(chromium maven unzip curl hunspell-fr)
missing=()
for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
echo "Installation des paquets Debian manquants : ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
