#!/usr/bin/env bash
# Makes sure the real services the test suite talks to are installed: Dovecot (IMAP/LMTP) and Chromium.
# They come from Debian's packages; as root this installs what is missing, otherwise it says what to install.
set -euo pipefail

missing=()
command -v dovecot >/dev/null 2>&1 || missing+=(dovecot-imapd dovecot-lmtpd)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "The tests need these Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing test services: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
