#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine: system packages, a virtual environment in
# .venv and the project installed into it. Re-running it only does what is missing.
#   scripts/setup.sh          what the station needs to run
#   scripts/setup.sh --test   plus what the test suite needs (Xvfb, xdotool, PostgreSQL up)
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
[[ "${1:-}" == "--test" ]] && want_tests=1

runtime_pkgs=(libgl1 libegl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0
  libxkbcommon0 libxkbcommon-x11-0 libpulse0 libzbar0 poppler-utils fonts-noto-cjk fonts-wqy-microhei
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
  libxcb-shape0 cups-bsd python3-venv)
test_pkgs=(xvfb xauth xdotool socat cups printer-driver-cups-pdf librsvg2-bin chromium chromium-driver
  libreoffice-calc-nogui qpdf)  # soffice opens the XLSX exports; qpdf --check checks the PDFs

pkgs=("${runtime_pkgs[@]}")
(( want_tests )) && pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if (( ${#missing[@]} )); then
  echo "setup: installing system packages: ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  echo "setup: creating .venv with $($python --version)"
  "$python" -m venv .venv
fi

# Reinstall only when the project's dependency list changed since the last install.
stamp=.venv/.rma-station-installed
extras=""
(( want_tests )) && extras="[test]"
digest="$(sha256sum pyproject.toml | cut -c1-16)$extras"
if [[ ! -f $stamp ]] || ! grep -qxF "$digest" "$stamp"; then
  echo "setup: installing rma-station$extras into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".$extras"
  echo "$digest" >> "$stamp"
fi

# Byte-compile the project once: it is installed editable, so pip compiled none of it, and
# where PYTHONDONTWRITEBYTECODE is set Python would compile ~100 modules again at every start
# (~0.1 s of each window start and of every command). Up-to-date files are skipped.
.venv/bin/python -m compileall -q -j 0 station ui drivers labels web bench >/dev/null

if (( want_tests )); then
  # The PostgreSQL tests use the machine's own server; start it if installed but stopped.
  if command -v pg_ctlcluster >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432; then
    for v in $(ls /etc/postgresql 2>/dev/null); do
      echo "setup: starting PostgreSQL $v"
      pg_ctlcluster --skip-systemctl-redirect "$v" main start || true
    done
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
  fi
fi
