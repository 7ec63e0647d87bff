#!/usr/bin/env bash
# Sets up the course on a Debian machine: system packages (when we are root and apt is there),
# npm packages, the compiled library and the tslab kernel. Safe to run again.
# Usage: npm run setup        (or: bash scripts/setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

# jupyterhub is for a class server (npm run hub); the course itself runs without it.
APT_PACKAGES=(jupyter-notebook jupyter-nbconvert python3-nbclient dataset-fashion-mnist jupyterhub)
OPTIONAL=(dataset-fashion-mnist jupyterhub)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: these Debian packages are missing: ${missing[*]}" >&2
    echo "setup: install them with: sudo apt-get install ${missing[*]}" >&2
    echo "setup: (optional: dataset-fashion-mnist, else the data is downloaded once into data/cache; jupyterhub, only for npm run hub)" >&2
    for p in "${missing[@]}"; do
      [[ " ${OPTIONAL[*]} " == *" $p "* ]] || exit 1
    done
  fi
fi

echo "setup: npm ci"
npm ci --no-audit --no-fund
echo "setup: compiling the library (tsc)"
npm run --silent build
echo "setup: registering the tslab kernel in .jupyter/"
node dist/scripts/start.js --register-only
echo "setup: done. Start the course with: npm start"
