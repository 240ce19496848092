# Sourced by the other scripts: they run from the repository root and share one job count.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Every core of the machine unless AP_JOBS says otherwise (CI machines have 2).
AP_JOBS=${AP_JOBS:-$(nproc 2>/dev/null || echo 2)}

# Prints a command's output only when it fails, so a green run stays short and a red one shows why.
quiet() {
  local out
  if ! out=$("$@" 2>&1); then
    printf '%s\n' "$out" >&2
    echo "failed: $*" >&2
    return 1
  fi
}

# Configures and builds one CMake preset; extra arguments go to `cmake --build` (e.g. --target ap_cli).
build_preset() {
  local preset=$1
  shift
  echo "== $preset: configure and build"
  quiet cmake --preset "$preset"
  cmake --build --preset "$preset" -j "$AP_JOBS" "$@"
}

# Installs the npm packages from package-lock.json when any the scripts import is missing (a fresh clone),
# so every npm script works before `npm ci` has been run by hand.
ensure_node_modules() {
  local pkg
  for pkg in vite uplot katex playwright-core; do
    if [ ! -d "node_modules/$pkg" ]; then
      echo "== npm packages: installing (package-lock.json)" >&2
      npm ci --no-audit --no-fund >&2
      return
    fi
  done
}
