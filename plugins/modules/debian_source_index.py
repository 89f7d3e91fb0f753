#!/usr/bin/python
# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: debian_source_index
short_description: List the versions of Debian source packages that a suite's index carries
version_added: 0.3.0
description:
  - Downloads C(<mirror>/dists/<suite>/<component>/source/Sources.xz), the index C(apt-get source) reads once the
    build role's toolchain step has added the suite's C(deb-src) entry, and returns the versions it lists for the
    given source packages.
  - Read-only; the index is read into memory and nothing is written on the host. It runs in the build preflight,
    before any change, so that a pinned version the archive no longer carries is refused up front.
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  platform:
    platforms: posix
options:
  mirror:
    description: Base URL of the Debian mirror.
    type: str
    required: true
  suite:
    description: The suite (codename), for example C(trixie).
    type: str
    required: true
  component:
    description: The archive area.
    type: str
    default: main
  packages:
    description: Source package names.
    type: list
    elements: str
    required: true
  timeout:
    description: Seconds to wait for the mirror.
    type: int
    default: 60
"""

EXAMPLES = r"""
- name: Read which versions of containerd the trixie index carries
  sourcebuilt.docker.debian_source_index:
    mirror: http://deb.debian.org/debian
    suite: trixie
    packages: [containerd, runc]
  register: index
"""

RETURN = r"""
url:
  description: The index read.
  type: str
  returned: always
  sample: http://deb.debian.org/debian/dists/trixie/main/source/Sources.xz
versions:
  description: Per package asked for, the versions the index lists in index order (empty when it has none).
  type: dict
  returned: always
  sample: {containerd: ["1.7.24~ds1-6+deb13u1"], runc: ["1.1.15+ds1-2"]}
"""

import lzma

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.urls import open_url


def parse_sources(text, packages):
    """{package: [versions]} of the stanzas of a Sources index whose Package is one of ``packages``."""
    wanted = set(packages)
    versions = {name: [] for name in packages}
    package = version = None
    for line in text.splitlines() + ['']:
        if not line.strip():
            if package in wanted and version and version not in versions[package]:
                versions[package].append(version)
            package = version = None
        elif line.startswith('Package:'):
            package = line.split(':', 1)[1].strip()
        elif line.startswith('Version:'):
            version = line.split(':', 1)[1].strip()
    return versions


def main():
    module = AnsibleModule(
        argument_spec=dict(
            mirror=dict(type='str', required=True),
            suite=dict(type='str', required=True),
            component=dict(type='str', default='main'),
            packages=dict(type='list', elements='str', required=True),
            timeout=dict(type='int', default=60),
        ),
        supports_check_mode=True,
    )
    params = module.params
    url = '%s/dists/%s/%s/source/Sources.xz' % (params['mirror'].rstrip('/'), params['suite'], params['component'])
    try:
        data = open_url(url, timeout=params['timeout'], http_agent='sourcebuilt.docker').read()
        text = lzma.decompress(data).decode('utf-8', 'replace')
    except (OSError, ValueError, lzma.LZMAError) as error:  # URLError and HTTPError are OSError
        module.fail_json(msg='could not read the Debian source index %s: %s' % (url, error), url=url)
    module.exit_json(changed=False, url=url, versions=parse_sources(text, params['packages']))


if __name__ == '__main__':
    main()
