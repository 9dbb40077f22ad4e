#!/usr/bin/env bash
# Installs what building and testing the lab needs, idempotently: Debian packages (the
# Fashion-MNIST data set, Chromium + ChromeDriver, Firefox ESR, WebKitGTK's WebDriver and
# Xvfb to run it in, locales, Mesa's Vulkan drivers, Node.js), the Rust wasm target,
# wasm-bindgen-cli at the exact version Cargo.toml pins, the nightly toolchain (cargo-fuzz for
# the fuzz targets; the wasm target and rust-src for the page's threaded build), and the npm
# packages.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

packages=(dataset-fashion-mnist chromium chromium-driver firefox-esr webkit2gtk-driver xvfb locales
  mesa-vulkan-drivers nodejs npm ca-certificates)
missing=()
for p in "${packages[@]}"; do
  # nodejs/npm may come from elsewhere (nvm, NodeSource): a working `npm` is enough.
  case "$p" in nodejs|npm) command -v npm >/dev/null 2>&1 && continue ;; esac
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: no Rust toolchain; installing rustup from Debian and the stable toolchain"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q rustup
  rustup default stable
fi
# Cargo.toml's rust-version (the AVX-512 intrinsics of src/backend/gemm/): an older stable is
# updated.
need=$(sed -n 's/^rust-version = "\([^"]*\)".*/\1/p' Cargo.toml)
have=$(rustc --version | cut -d' ' -f2)
if [ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | head -1)" != "$need" ]; then
  echo "setup: rustc $have is older than the $need this crate needs; updating the stable toolchain"
  rustup update stable
fi
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

# wasm-bindgen's CLI must match the library version exactly.
want=$(sed -n 's/^wasm-bindgen = "=\(.*\)"$/\1/p' Cargo.toml)
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $want"; then
  echo "setup: installing wasm-bindgen-cli $want (takes several minutes once)"
  cargo install wasm-bindgen-cli --version "$want"
fi

# The fuzz targets (fuzz/) build with cargo-fuzz, which needs a nightly compiler.
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
# The page's threaded build (xtask/src/engine_builds.rs) rebuilds std for wasm with atomics.
rustup +nightly target list --installed | grep -qx wasm32-unknown-unknown || rustup +nightly target add wasm32-unknown-unknown
rustup +nightly component list --installed | grep -q '^rust-src' || rustup +nightly component add rust-src
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "setup: installing cargo-fuzz (takes a minute once)"
  cargo install cargo-fuzz --locked
fi

if [ -f package-lock.json ]; then
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund
  fi
fi
echo "setup: ready"
