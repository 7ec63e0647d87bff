#!/usr/bin/env bash
# Builds the optional oneDNN addon (native/ -> native/build/Release/tsdl_onednn.node) with
# node-gyp, against the Node headers installed beside node (Debian: /usr/include/node), so
# nothing is downloaded. Needs libdnnl-dev, g++ and make.
# Usage: bash native/build.sh        (npm run setup runs it; exit status 0 when built)
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -f /usr/include/oneapi/dnnl/dnnl.hpp ] && [ ! -f /usr/local/include/oneapi/dnnl/dnnl.hpp ]; then
  echo "native: oneDNN headers not found (install libdnnl-dev)" >&2
  exit 1
fi
for tool in g++ make python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "native: $tool not found (install g++ make python3)" >&2; exit 1; }
done

prefix=$(node -p "require('path').resolve(process.execPath, '..', '..')")
nodedir=()
if [ -f "$prefix/include/node/node_api.h" ]; then
  nodedir=(--nodedir="$prefix")
else
  echo "native: no Node headers under $prefix/include/node; node-gyp will try to download them" >&2
fi

if command -v node-gyp >/dev/null 2>&1; then
  gyp=(node-gyp)
else
  npm_root=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
  if [ ! -f "$npm_root/node_modules/node-gyp/bin/node-gyp.js" ]; then
    echo "native: node-gyp not found (neither on PATH nor inside npm at $npm_root); install it: apt-get install node-gyp" >&2
    exit 1
  fi
  gyp=(node "$npm_root/node_modules/node-gyp/bin/node-gyp.js")
fi

"${gyp[@]}" rebuild "${nodedir[@]}" --loglevel=warn
node -e "const a = require('./build/Release/tsdl_onednn.node'); const i = a.info(); console.log('native: built the oneDNN ' + i.version + ' addon (' + i.isa + ')');"
