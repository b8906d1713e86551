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
if ./build/skillbook batch --help >/dev/null 2>&1; then
  ./build/skillbook batch -o out
else
  for role in $(./build/skillbook list roles | cut -f1); do
    ./build/skillbook handbook --role "$role"
  done
fi
