#!/usr/bin/env bash
# Install a CJK font, Chromium, poppler-utils (pdftotext, for the print test) and PostgreSQL (a throwaway
# server for the register tests) from Debian's packages when missing and possible.
# Never fails the build: without them the reports warn and the tests that need them skip.
set -u
need=()
fc-list 2>/dev/null | grep -qiE "wqy|noto sans cjk|noto serif cjk|source han" || need+=(fonts-wqy-microhei)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${need[*]} (Debian packages) ..."
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"; } >/dev/null 2>&1 \
        || echo "note: could not install ${need[*]}; reports fall back without CJK fonts / browser, PDF and PostgreSQL tests skip"
else
    echo "note: ${need[*]} missing and not installable here (needs root + apt-get)"
fi
exit 0
