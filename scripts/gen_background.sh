#!/usr/bin/env bash
# Builds data/background.bin and data/background_local.bin, the avatar background corpus of
# the detector (issue 10, item 1): real, varied pictures that are no one's official avatar —
# icons of Debian's icon themes composited as avatars and the photographs shipped inside
# scikit-image — reduced by the detector's own hasher (`narisumashi background`) to one
# 256-byte fine descriptor each (background.bin, about 400 kB) and to their corners
# (background_local.bin, 36 bytes a corner, about 900 kB). The images are not committed.
#
#   scripts/gen_background.sh            # → data/background.bin, data/background_local.bin
#
# Needs: apt-get install papirus-icon-theme breeze-icon-theme adwaita-icon-theme
# tango-icon-theme; pip install pillow numpy cairosvg scikit-image (collect_background.py
# installs what is missing). Deterministic for the same packages and seed.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${BACKGROUND_DIR:-${TMPDIR:-/tmp}/narisumashi-background}"
python3 scripts/collect_background.py --out "$dir" --icons 1200 --crops-per-photo 12 --faces 60 --seed 1
cargo run --quiet -- --config fixtures/demo/narisumashi.toml background "$dir" --out data/background.bin
