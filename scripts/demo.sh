#!/usr/bin/env bash
# Quick start: install, build, validate the bundled registry and write its ER diagram.
set -euo pipefail
cd "$(dirname "$0")/.."
npx -y pnpm@10 install --frozen-lockfile --reporter=silent
npx -y pnpm@10 exec tsc -b
npx -y pnpm@10 exec aegis validate
npx -y pnpm@10 exec aegis erd --out docs/erd.mmd
echo "ER diagram written to docs/erd.mmd"
