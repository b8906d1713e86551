#!/usr/bin/env bash
# The README's first command: install the Debian packages, build, and run the
# main job on the bundled catalogue (every document into out/).
set -euo pipefail
cd "$(dirname "$0")"
./scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build build -j"$(nproc)"
./build/skillbook validate
./build/skillbook list roles
./build/skillbook batch -o out
