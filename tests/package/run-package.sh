#!/usr/bin/env bash
# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Build the collection tarball and use it as a user would, with ansible-core and only the collections
# galaxy.yml declares: run-package.sh [DIST_DIR] (default .cache/dist).
#  1. the tarball holds only what a user runs and reads (no Makefile, tests, molecule, lint configs ...);
#  2. it installs, with its declared dependencies copied from the PyPI `ansible` package (Galaxy is
#     unreachable), into a collections path of its own; sys.path scanning is off, so nothing else is seen;
#  3. every collection its roles, playbooks and plugins name is declared, and every declared one is used;
#  4. every playbook passes --syntax-check, every plugin loads (ansible-doc), and a check-mode run of
#     tests/package/check.yml on localhost runs the engine role (its argument spec, the daemon and build
#     preflights) and every filter of the collection.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
dist="${1:-$repo/.cache/dist}"
python="${PYTHON:-python3}"
# The ansible_collections tree of the PyPI `ansible` package, next to ansible-core in this Python.
known="$("$python" -c 'import ansible, os; print(os.path.join(os.path.dirname(os.path.dirname(ansible.__file__)), "ansible_collections"))')"

rm -rf "$dist"
mkdir -p "$dist/collections/ansible_collections" "$dist/work"
ansible-galaxy collection build --output-path "$dist" "$repo"
tarball="$(ls "$dist"/sourcebuilt-docker-*.tar.gz)"

echo "=== contents of $(basename "$tarball")"
tar -tzf "$tarball" | sed 's|/$||' | sort >"$dist/contents.txt"
wc -l <"$dist/contents.txt"
# What a user runs and reads; anything else at the top is a development file that leaked in.
allowed='^(MANIFEST\.json|FILES\.json|README\.md|CHANGELOG\.md|LICENSES|docs|inventory|meta|playbooks|plugins|roles)(/|$)'
bad="$(grep -Ev "$allowed" "$dist/contents.txt" || true)"
bad="$bad${bad:+
}$(grep -E '(^|/)(__pycache__|\.cache|\.git|tests|molecule|hack)(/|$)|\.(pyc|orig|rej|tar\.gz)$|^inventory/(bundler|demo)\.yml$' "$dist/contents.txt" || true)"
if [ -n "$bad" ]; then
  printf 'development files in the tarball (add them to build_ignore in galaxy.yml):\n%s\n' "$bad" >&2
  exit 1
fi
for need in README.md LICENSES/GPL-3.0-or-later.txt meta/runtime.yml meta/execution-environment.yml \
  playbooks/site.yml playbooks/uninstall.yml inventory/hosts.yml roles/engine/meta/argument_specs.yml; do
  grep -qx "$need" "$dist/contents.txt" || { echo "missing from the tarball: $need" >&2; exit 1; }
done

# Only the collections path below: no sys.path scan, no ansible.cfg of the checkout, no roles path.
export ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false
export ANSIBLE_COLLECTIONS_PATH="$dist/collections"
export ANSIBLE_CONFIG="$dist/work/ansible.cfg"
export ANSIBLE_ROLES_PATH="$dist/work/roles"
export ANSIBLE_LOCAL_TEMP="$dist/work/tmp"
export ANSIBLE_INVENTORY_UNPARSED_WARNING=false
printf '[defaults]\ninject_facts_as_vars = False\n' >"$ANSIBLE_CONFIG"

echo "=== install into $dist/collections with the declared dependencies only"
ansible-galaxy collection install --offline --no-deps -p "$dist/collections" "$tarball"
installed="$dist/collections/ansible_collections/sourcebuilt/docker"
# The declared dependencies and theirs, copied from the `ansible` package (Galaxy is unreachable).
"$python" - "$installed" "$known" "$dist/collections/ansible_collections" <<'PY'
import json, os, shutil, sys
from ansible.galaxy.dependency_resolution.versioning import meets_requirements
installed, known, target = sys.argv[1:]
todo = [installed]
while todo:
    with open(os.path.join(todo.pop(), 'MANIFEST.json')) as handle:
        deps = json.load(handle)['collection_info']['dependencies'] or {}
    for name, spec in sorted(deps.items()):
        namespace, coll = name.split('.')
        source, dest = os.path.join(known, namespace, coll), os.path.join(target, namespace, coll)
        if os.path.isdir(dest):
            continue
        with open(os.path.join(source, 'MANIFEST.json')) as handle:
            version = json.load(handle)['collection_info']['version']
        if not meets_requirements(version, spec):
            sys.exit('%s %s (from the ansible package) does not meet the declared %s' % (name, version, spec))
        print('%s %s (declared %s)' % (name, version, spec))
        shutil.copytree(source, dest)
        todo.append(dest)
PY

echo "=== every collection the roles, playbooks and plugins name is declared"
"$python" "$repo/tests/package/collection_refs.py" "$installed" "$known"

cd "$dist/work"
ansible-galaxy collection list

echo "=== every playbook passes --syntax-check"
for playbook in "$installed"/playbooks/*.yml; do
  name="$(basename "$playbook" .yml)"
  ansible-playbook -i "$installed/inventory/hosts.yml" "sourcebuilt.docker.$name" --syntax-check
done

echo "=== every plugin loads"
for plugin in "$installed"/plugins/modules/*.py; do
  ansible-doc -t module "sourcebuilt.docker.$(basename "$plugin" .py)" >/dev/null
done
for plugin in "$installed"/plugins/filter/*.py; do
  ansible-doc -t filter "sourcebuilt.docker.$(basename "$plugin" .py)" >/dev/null
done
for role in "$installed"/roles/*; do
  ansible-doc -t role "sourcebuilt.docker.$(basename "$role")" >/dev/null
done

echo "=== check mode on localhost: the build preflight and every filter, evaluated"
ansible-playbook -i localhost, -c local --check "$repo/tests/package/check.yml" \
  -e "sourcebuilt_package_work=$dist/work" -e "build_cache_dir=$dist/work/cache"
echo "package: ok"
