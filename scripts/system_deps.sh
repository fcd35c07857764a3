#!/usr/bin/env bash
# Install a CJK font and Chromium from Debian's packages when missing and possible.
# Never fails the build: without them the reports warn and the browser tests skip.
set -u
need=()
fc-list 2>/dev/null | grep -qiE "wqy|noto sans cjk|noto serif cjk|source han" || need+=(fonts-wqy-microhei)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${need[*]} (Debian packages) ..."
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"; } >/dev/null 2>&1 \
        || echo "note: could not install ${need[*]}; reports fall back without CJK fonts / browser tests skip"
else
    echo "note: ${need[*]} missing and not installable here (needs root + apt-get)"
fi
exit 0
