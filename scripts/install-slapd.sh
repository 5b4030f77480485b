#!/usr/bin/env bash
# Installs Debian's OpenLDAP server and tools for the directory tests (test/services/ldap/slapd.ts calls this when
# /usr/sbin/slapd is missing). The tests start their own slapd with a throw-away configuration; the
# package's own service is left stopped and unconfigured, so nothing listens on 389 because of this.
set -euo pipefail
if [ -x /usr/sbin/slapd ] && command -v ldapsearch >/dev/null; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-slapd: not root and no sudo; install slapd and ldap-utils yourself" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
# No post-install configuration: the tests write their own, so skip debconf's questions and the service start.
echo "slapd slapd/no_configuration boolean true" | $SUDO debconf-set-selections
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends slapd ldap-utils >/dev/null
