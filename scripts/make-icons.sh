#!/usr/bin/env bash
# make-icons.sh: redraws icons/source.png (ImageMagick) and regenerates every size the Tauri
# bundler wants from it (the Tauri CLI from ui/node_modules). Run after changing the design;
# the results are committed, so builds don't need ImageMagick.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# A blue rounded square, a white envelope, a red badge with a heart: mail sent with thanks.
convert -size 1024x1024 xc:none \
    -fill '#1f6feb' -draw "roundrectangle 64,64 960,960 200,200" \
    \( -size 1024x1024 gradient:'#3b82f6'-'#1d4ed8' \) -compose SrcIn -composite -compose Over \
    -fill white -draw "roundrectangle 232,330 792,720 48,48" \
    -stroke '#1d4ed8' -strokewidth 34 -fill none \
    -draw "stroke-linejoin round stroke-linecap round polyline 280,386 512,560 744,386" \
    -stroke none -fill '#f43f5e' -draw "circle 736,318 736,222" \
    -fill white -draw "path 'M 690,312 C 690,276 732,268 736,298 C 740,268 782,276 782,312 C 782,342 736,364 736,372 C 736,364 690,342 690,312 Z'" \
    icons/source.png
(cd ui && npx tauri icon ../icons/source.png -o ../icons)
# Desktop only: the mobile sets are not used.
rm -rf icons/android icons/ios
