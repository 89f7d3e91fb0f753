# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.sourcebuilt.docker.plugins.modules.debian_source_index import parse_sources

# Stanzas as in trixie's main/source/Sources (13.8): docker.io listed twice, the last stanza without a
# trailing blank line.
SOURCES = """Package: containerd
Binary: containerd, golang-github-containerd-containerd-dev
Version: 1.7.24~ds1-6+deb13u1
Format: 3.0 (quilt)

Package: docker.io
Version: 26.1.5+dfsg1-9
Files:
 37b5478d38fead879b391453af157c13 8335 docker.io_26.1.5+dfsg1-9.dsc

Package: docker.io
Version: 26.1.5+dfsg1-9+deb13u1

Package: runc-other
Version: 9.9

Package: runc
Version: 1.1.15+ds1-2"""


@pytest.mark.parametrize('packages, expected', [
    (['containerd'], {'containerd': ['1.7.24~ds1-6+deb13u1']}),
    (['docker.io', 'runc'], {'docker.io': ['26.1.5+dfsg1-9', '26.1.5+dfsg1-9+deb13u1'], 'runc': ['1.1.15+ds1-2']}),
    (['tini'], {'tini': []}),
    ([], {}),
])
def test_parse_sources_lists_each_packages_versions_in_index_order(packages, expected):
    assert parse_sources(SOURCES, packages) == expected
