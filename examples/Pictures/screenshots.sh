#!/usr/bin/env bash
# Regenerates docs/images: runs this example, then headless Chromium screenshots the pages.
# Usage (from the repository root): examples/Pictures/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
out=docs/images
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet run -c Release --project examples/Pictures -- "$work"

shot() { # shot <file or url> <png> <width,height>
  local profile
  profile=$(mktemp -d -p "$work")
  timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
    --user-data-dir="$profile" --virtual-time-budget=2000 --window-size="$3" --screenshot="$2" "$1" >/dev/null 2>&1
}

# The natural size of a chart: its SVG's width and height, plus the page's padding.
size() {
  local w h
  w=$(grep -o 'width="[0-9.]*"' "$1" | head -1 | grep -o '[0-9]*' | head -1)
  h=$(grep -o 'height="[0-9.]*"' "$1" | head -1 | grep -o '[0-9]*' | head -1)
  echo "$((w + 40)),$((h + 32))"
}

# The attention viewer with the mouse on a cell of the induction head: the tooltip, the lit labels and
# the prompt coloured by where that token attends. The "hover" is a script appended to a copy of the page.
hover='<script>(function(){var c=document.querySelector(".gb-matrix"),b=c.getBoundingClientRect(),s=document.querySelector(".gb-cells").offsetWidth/30;c.dispatchEvent(new MouseEvent("mousemove",{bubbles:true,clientX:b.left+5.5*s,clientY:b.top+19.5*s}));})();</script>'
sed "s|</body>|$hover</body>|" "$work/demo-attention.html" > "$work/demo-attention-hover.html"
shot "file://$work/demo-attention-hover.html#layer=0&head=1" "$out/attention-viewer.png" 1200,900
shot "file://$work/attention-long.html#layer=2&head=3" "$out/attention-viewer-long.png" 1200,900

shot "file://$work/demo-induction-head.svg" "$out/attention-head.png" "$(size "$work/demo-induction-head.svg")"
shot "file://$work/demo-induction-scores.svg" "$out/heatmap-induction-scores.png" "$(size "$work/demo-induction-scores.svg")"
shot "file://$work/logit-attribution-by-position.html" "$out/heatmap-logit-attribution.png" "$(size "$work/logit-attribution-by-position.svg")"
shot "file://$work/logit-attribution.html" "$out/bar-logit-attribution.png" "$(size "$work/logit-attribution.svg")"
shot "file://$work/logit-lens.html" "$out/line-logit-lens.png" "$(size "$work/logit-lens.svg")"
cp "$work/logit-attribution.svg" "$out/bar-logit-attribution.svg"
ls -la "$out"
