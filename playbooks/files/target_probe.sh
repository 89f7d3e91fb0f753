# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck shell=sh
#
# Read-only probe of a target, run with ansible.builtin.raw (the text of this file is the command:
# no file is copied, no Python is needed), parsed by the sourcebuilt.docker.target_path filter.
# Prints `probe 1`, `kernel RELEASE`, `machine ARCH`, `family RedHat|Debian|other`, `init PID1-EXE`, `systemd yes|no`,
# `os-pretty` and `os-codename` (PRETTY_NAME and VERSION_CODENAME of /etc/os-release, where it has them), one `python PATH VERSION`
# per interpreter found (VERSION as `PATH -V` prints it; `unknown` when it does not run), and one
# `tool NAME PATH|-` per tool the deploy path may use. Changes nothing: besides shell builtins it
# starts uname, readlink, cat, sed, head and each interpreter found, once, with -V. The roles read these as the
# facts setup would give (sourcebuilt.docker.shell_facts), so no host starts Python for its facts.
PATH="$PATH:/sbin:/usr/sbin:/usr/local/sbin:/bin:/usr/bin"
echo "probe 1"
echo "kernel $(uname -r)"
echo "machine $(uname -m)"
# The os_family facts would give: RedHat where /etc/redhat-release exists, Debian where /etc/debian_version does.
if [ -e /etc/redhat-release ]; then echo "family RedHat"; elif [ -e /etc/debian_version ]; then echo "family Debian"; else echo "family other"; fi
echo "init $(readlink /proc/1/exe 2>/dev/null || cat /proc/1/comm 2>/dev/null || echo unknown)"
if [ -d /run/systemd/system ]; then echo "systemd yes"; else echo "systemd no"; fi
sed -n -e 's/^PRETTY_NAME=/os-pretty /p' -e 's/^VERSION_CODENAME=/os-codename /p' /etc/os-release 2>/dev/null
for p in python3.14 python3.13 python3.12 python3.11 python3.10 python3.9 /usr/libexec/platform-python \
  python3 python python2 python2.7 python2.6; do
  found=$(command -v "$p" 2>/dev/null) || continue
  [ -x "$found" ] || continue
  v=$("$found" -V 2>&1 </dev/null | sed -n 's/^Python \([0-9][0-9.]*\).*/\1/p' | head -n 1)
  echo "python $found ${v:-unknown}"
done
for t in sh tar gzip sha256sum cksum md5sum readlink mktemp ln mv df \
  systemctl service chkconfig update-rc.d insserv start-stop-daemon setsid iptables mount; do
  echo "tool $t $(command -v "$t" 2>/dev/null || echo -)"
done
