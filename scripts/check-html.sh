#!/bin/sh
# check-html.sh renders the sample HTML report (results/html_test.go) in
# headless Chromium, asserts that the browser's DOM has the expected
# elements, and leaves a screenshot to look at.
#
#   scripts/check-html.sh [OUTDIR]     (default: a new temporary directory)
#
# Needs go and chromium (Debian: apt-get install -y chromium). Exit 0 when
# every check passes, 1 when one fails, 2 when a tool is missing.
set -eu

cd "$(dirname "$0")/.."
for tool in go chromium; do
	command -v "$tool" >/dev/null || { echo "check-html.sh: $tool not on PATH" >&2; exit 2; }
done
out=${1:-$(mktemp -d)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

go test ./results -count=1 -run '^TestRenderHTMLGolden$' -html-out "$out/report.html" >/dev/null

chrome() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$profile" "$@" 2>>"$out/chromium.log"
}
chrome --dump-dom "file://$out/report.html" >"$out/dom.html"
chrome --screenshot="$out/report.png" --window-size=1400,2000 "file://$out/report.html" >/dev/null

fail=0
check() { # check DESCRIPTION WANT COUNT: COUNT must equal WANT
	if [ "$3" -ne "$2" ]; then
		echo "FAIL: $1: got $3, want $2" >&2
		fail=1
	else
		echo "ok: $1 ($3)"
	fi
}
count() { grep -o -- "$1" "$out/dom.html" | wc -l; }

check "inline SVG plots" 2 "$(count '<svg')"
check "change-grid panels (rw x iodepth titles)" 4 "$(grep -oE '>rand(read|write) · qd=[0-9]+</text>' "$out/dom.html" | wc -l)"
check "raw-trial panels" 16 "$(grep -oE '>rand(read|write)/bs=[0-9]+[km]/qd=[0-9]+/jobs=[0-9]+</text>' "$out/dom.html" | wc -l)"
rows=$(sed -n '/id="summary-table"/,/<\/table>/p' "$out/dom.html" | grep -o '<tr' | wc -l)
check "summary table rows (header + 32)" 33 "$rows"
check "per-variant table rows (header + 2)" 3 "$(sed -n '/<section id="variants">/,/<\/table>/p' "$out/dom.html" | grep -o '<tr' | wc -l)"
check "environment rows" 20 "$(sed -n '/id="env-table"/,/<\/table>/p' "$out/dom.html" | grep -o '<tr' | wc -l)"
check "calibration rows (header + 2)" 3 "$(sed -n '/id="calibration-table"/,/<\/table>/p' "$out/dom.html" | grep -o '<tr' | wc -l)"
check "variance-split rows (header + 1)" 2 "$(sed -n '/id="variance-table"/,/<\/table>/p' "$out/dom.html" | grep -o '<tr' | wc -l)"
# The label <i>lto</i> & "co" must stay text: escaped in the DOM, never an
# <i> element.
check "escaped variant label present" 1 "$(grep -q '&lt;i&gt;lto&lt;/i&gt; &amp;' "$out/dom.html" && echo 1 || echo 0)"
check "label parsed as an <i> element" 0 "$(count '<i>lto</i>')"
check "script elements" 0 "$(count '<script')"
# The PNG's IHDR holds width and height as big-endian 32-bit numbers.
size=$(od -An -tu1 -j16 -N8 "$out/report.png" | awk '{print $2*65536+$3*256+$4 "x" $6*65536+$7*256+$8}')
check "screenshot is 1400x2000" 1 "$([ "$size" = 1400x2000 ] && echo 1 || echo 0)"
# A blank page compresses to a few kB; plots and tables do not.
check "screenshot has content (>100 kB)" 1 "$([ "$(wc -c <"$out/report.png")" -gt 100000 ] && echo 1 || echo 0)"
echo "screenshot: $out/report.png"
exit $fail
