#!/usr/bin/env bash
# Renders `carbonlens report --html` to a PNG with headless Chromium, to look at the page as a reader would.
#
#   scripts/render-html-report.sh OUT.png [PATH...]     (PATHs default to samples/)
#
# Needs /usr/bin/chromium (Debian: apt-get install chromium); CHROMIUM=... picks another binary.
# The HTML is kept beside the PNG (OUT.html). Chromium gets no network: the page must need none.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -ge 1 ] || { echo "usage: $0 OUT.png [PATH...]" >&2; exit 2; }
out="$1"; shift
mkdir -p "$(dirname "$out")"
out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
if [ $# -eq 0 ]; then cd "$here"; set -- samples; fi   # relative, so the report names samples/...
chromium="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$chromium" ] || { echo "$0: $chromium not found (apt-get install chromium)" >&2; exit 2; }

html="${out%.png}.html"
"$here/carbonlens" report --html "$html" "$@"

profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
# --proxy-server to a closed port: any request the page made would fail instead of reaching the network.
"$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --proxy-server=127.0.0.1:9 --hide-scrollbars \
  --user-data-dir="$profile" --window-size=1280,2400 --screenshot="$out" "file://$html" 2>/dev/null
[ -s "$out" ] || { echo "$0: Chromium wrote no screenshot" >&2; exit 1; }
echo "$out"
