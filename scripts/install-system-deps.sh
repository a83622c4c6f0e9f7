#!/usr/bin/env bash
# What the browser tests need from Debian: chromium (driven by Playwright through executable_path, never a
# browser download) and CJK fonts so that Chinese renders in screenshots. What the document tests need:
# LibreOffice (writer and calc, headless) to print .docx/.xlsx to PDF, poppler-utils (pdfinfo, pdftoppm),
# AR PL UKai for 楷体 headings and Liberation (metric-compatible with Times New Roman) so that LibreOffice lays
# digits out as Word does. Idempotent: does nothing when present.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui libreoffice-calc-nogui)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
fc-list 2>/dev/null | grep -qi "AR PL UKai" || need+=(fonts-arphic-ukai)
fc-list 2>/dev/null | grep -qi "Liberation Serif" || need+=(fonts-liberation2)
# the load test's scale-out run (make loadtest LOADTEST_ARGS=--scale-out) puts nginx in front of two app processes
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "需要安装 ${need[*]}（Debian 软件包），请以 root 运行：apt-get install -y ${need[*]}" >&2; exit 1
  fi
else SUDO=""; fi
echo "installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
