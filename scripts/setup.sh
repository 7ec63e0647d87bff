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

# Optional: oneDNN and a compiler for the native convolution/matmul kernels (native/). Without
# them the course runs on plain wasm (describeBackend says so).
NATIVE_PACKAGES=(libdnnl-dev g++ make)
missing_native=()
for p in "${NATIVE_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing_native+=("$p")
done
if [ ${#missing_native[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian packages for the native kernels: ${missing_native[*]}"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_native[@]}" >/dev/null; } ||
      echo "setup: could not install ${missing_native[*]}; the course will run on plain wasm" >&2
  else
    echo "setup: optional: sudo apt-get install ${missing_native[*]} (native oneDNN kernels, several times faster convolutions)" >&2
  fi
fi

echo "setup: npm ci"
npm ci --no-audit --no-fund
echo "setup: compiling the library (tsc)"
npm run --silent build
echo "setup: building the native oneDNN kernels (native/build.sh)"
if ! bash native/build.sh >build-native.log 2>&1; then
  echo "setup: the native kernels did not build (see build-native.log; last lines below); the course runs on plain wasm" >&2
  tail -n 5 build-native.log >&2
else
  tail -n 1 build-native.log
fi
echo "setup: registering the tslab kernel in .jupyter/"
node dist/scripts/start.js --register-only
echo "setup: done. Start the course with: npm start"
