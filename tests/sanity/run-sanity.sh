#!/usr/bin/env bash
# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run ansible-test sanity on the collection's Python plugins from a temporary
# ansible_collections/sourcebuilt/docker tree. Extra arguments go to ansible-test,
# e.g. tests/sanity/run-sanity.sh --test pep8 --test validate-modules
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
root="${SANITY_ROOT:-/tmp/sanity}"
tree="$root/ansible_collections/sourcebuilt/docker"
ansible_test="${ANSIBLE_TEST:-$repo/.venv/bin/ansible-test}"

rm -rf "$tree"
mkdir -p "$tree/tests" "$tree/meta"
cp -a "$repo/plugins" "$tree/"
cp -a "$repo/tests/unit" "$repo/tests/sanity" "$tree/tests/"
cp "$repo/meta/runtime.yml" "$tree/meta/"
if [ -f "$repo/galaxy.yml" ]; then
  cp "$repo/galaxy.yml" "$tree/"
else
  printf 'namespace: sourcebuilt\nname: docker\nversion: 0.1.0\nreadme: README.md\nauthors: [sourcebuilt.docker contributors]\n' >"$tree/galaxy.yml"
fi
find "$tree" -name __pycache__ -prune -exec rm -rf {} +

# ansible-test bootstraps pip in its sanity venvs with a get-pip script from ci-files, which may be
# unreachable; the stand-in installs pip with ensurepip and then uses the configured package index.
cache="$HOME/.ansible/test/cache"
mkdir -p "$cache"
at_dir="$("$(dirname "$ansible_test")/python" -c 'import ansible_test, os; print(os.path.dirname(ansible_test.__file__))')"
pip_version="$(sed -n "s/^ *pip='\([0-9.]*\)',.*/\1/p" "$at_dir/_internal/python_requirements.py" | head -n1)"
shim="$cache/get_pip_${pip_version//./_}.py"
[ -f "$shim" ] || cp "$repo/tests/sanity/get_pip_offline.py" "$shim"

cd "$tree"
exec "$ansible_test" sanity --python 3.13 "$@"
