#!/usr/bin/env bash
# Runs every test from a fresh clone: installs what is needed, builds, typechecks, lints, tests.
# Ends with the plain line "N passed, N failed". Used by the README and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
pnpm() { npx -y pnpm@10 "$@"; }

# Browser tests drive the system Chromium, editor tests Debian's Neovim and Emacs with eglot; nothing downloads a
# browser or editor.
if ! command -v chromium >/dev/null 2>&1 || ! command -v nvim >/dev/null 2>&1 || ! command -v emacs >/dev/null 2>&1 ||
  ! ls -d /usr/share/emacs/site-lisp/elpa/eglot-* >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing chromium, neovim and emacs with eglot for the browser and editor tests (apt-get)…"
    apt-get update -qq >/dev/null &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium neovim emacs-nox elpa-eglot >/dev/null
  else
    echo "chromium, nvim, emacs or eglot is not installed: install them (Debian: apt-get install chromium neovim" \
      "emacs-nox elpa-eglot) and run again." >&2
    exit 2
  fi
fi

# The alert rules in ops/ are checked by Prometheus's own promtool (Debian package prometheus).
if ! command -v promtool >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing prometheus for promtool (apt-get)…"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  else
    echo "promtool is not installed: install it (Debian: apt-get install prometheus) and run again." >&2
    exit 2
  fi
fi
promtool check rules ops/prometheus/*.yml

pnpm install --frozen-lockfile --reporter=silent
pnpm exec tsc -b
pnpm exec tsc -p tsconfig.test.json
pnpm exec eslint --max-warnings 0 .
pnpm exec prettier --check --log-level warn .
# No import cycle among packages/*/src, no bot function over 60 lines (each exits 1 listing what it found).
node scripts/check-import-cycles.mjs
node scripts/check-function-length.mjs

report=$(mktemp -d)/vitest.json
status=0
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json="$report" || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests + r.numTodoTests} failed`);
' "$report" || echo "0 passed, 1 failed"
exit $status
