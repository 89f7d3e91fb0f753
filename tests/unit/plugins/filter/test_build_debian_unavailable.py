# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A Debian source pin the suite's index no longer lists is refused with what the suite has now and how to pin it."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.sourcebuilt.docker.plugins.filter import build_debian_unavailable as plugin
from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.build_components import debian_version_compare

unavailable = plugin.FilterModule().filters()['build_debian_unavailable']

URL = 'http://deb.debian.org/debian/dists/trixie/main/source/Sources.xz'
TRIXIE = {'containerd': ['1.7.24~ds1-6+deb13u1'], 'docker.io': ['26.1.5+dfsg1-9', '26.1.5+dfsg1-9+deb13u1'], 'runc': []}


def debian(package, version):
    return {'version': 'x', 'source': {'type': 'debian', 'package': package, 'version': version}}


@pytest.mark.parametrize('components, expected', [
    # Listed: nothing to say (an older upload the index still lists too).
    ({'containerd': debian('containerd', '1.7.24~ds1-6+deb13u1'), 'dockerd': debian('docker.io', '26.1.5+dfsg1-9')}, []),
    # Not a Debian source: not looked at.
    ({'tini': {'version': '0.19.0', 'source': {'type': 'archive', 'url': 'x', 'sha256': 'a' * 64}}}, []),
    # Replaced by a point release: the versions the suite has now and the override that pins the newest.
    ({'containerd': debian('containerd', '1.7.24~ds1-6')},
     ['component containerd: Debian trixie no longer carries containerd=1.7.24~ds1-6 (a point release or a newer upload '
      'replaced it); the trixie index (%s) now has containerd 1.7.24~ds1-6+deb13u1. Pin it: build_component_overrides: '
      "{containerd: {source: {version: '1.7.24~ds1-6+deb13u1'}}} (the build then compiles that version), or use a profile "
      'that pins it.' % URL]),
    ({'cli': debian('docker.io', '26.1.5+dfsg1-8'), 'dockerd': debian('docker.io', '26.1.5+dfsg1-8')},
     ['component cli: Debian trixie no longer carries docker.io=26.1.5+dfsg1-8 (a point release or a newer upload '
      'replaced it); the trixie index (%s) now has docker.io 26.1.5+dfsg1-9, 26.1.5+dfsg1-9+deb13u1. Pin it: '
      "build_component_overrides: {cli: {source: {version: '26.1.5+dfsg1-9+deb13u1'}}} (the build then compiles that "
      'version), or use a profile that pins it.' % URL,
      'component dockerd: Debian trixie no longer carries docker.io=26.1.5+dfsg1-8 (a point release or a newer upload '
      'replaced it); the trixie index (%s) now has docker.io 26.1.5+dfsg1-9, 26.1.5+dfsg1-9+deb13u1. Pin it: '
      "build_component_overrides: {dockerd: {source: {version: '26.1.5+dfsg1-9+deb13u1'}}} (the build then compiles that "
      'version), or use a profile that pins it.' % URL]),
    # Not in the suite at all (runc listed with no versions, tini not asked for).
    ({'runc': debian('runc', '1.1.15+ds1-2')},
     ['component runc: the Debian source package runc is not in the trixie index (%s), so runc=1.1.15+ds1-2 cannot be '
      'fetched. Build on a host of a suite that has it, or point build_component_overrides.runc.source at another source.'
      % URL]),
    ({'tini': debian('tini', '0.19.0-3')},
     ['component tini: the Debian source package tini is not in the trixie index (%s), so tini=0.19.0-3 cannot be '
      'fetched. Build on a host of a suite that has it, or point build_component_overrides.tini.source at another source.'
      % URL]),
])
def test_unavailable(components, expected):
    assert unavailable(components, TRIXIE, 'trixie', URL) == expected


def test_a_pin_newer_than_the_whole_index_is_from_another_suite():
    """The debian-trixie profile on a Debian 12 host: bookworm lists only older containerd versions."""
    bookworm = 'http://deb.debian.org/debian/dists/bookworm/main/source/Sources.xz'
    assert unavailable({'containerd': debian('containerd', '1.7.24~ds1-6+deb13u1')},
                       {'containerd': ['1.6.20~ds1-1+deb12u3', '1.6.20~ds1-1']}, 'bookworm', bookworm) == [
        "component containerd: the bookworm index (%s) lists containerd 1.6.20~ds1-1+deb12u3, 1.6.20~ds1-1, all older "
        "than the pinned 1.7.24~ds1-6+deb13u1: the pin is not from Debian bookworm (this host's suite), so apt-get source "
        "cannot fetch it. Build on a host of the suite the profile's sources come from, or choose a profile made of "
        "Debian bookworm sources." % bookworm]


# Checked against `dpkg --compare-versions` on Debian 12.
@pytest.mark.parametrize('one, other, expected', [
    ('1.7.24~ds1-6', '1.7.24~ds1-6+deb13u1', -1),
    ('1.7.24~ds1-6+deb13u1', '1.6.20~ds1-1+deb12u3', 1),
    ('1.0~rc1', '1.0', -1),
    ('1.0', '1.0-0', 0),
    ('2:1.0', '1:9', 1),
    ('26.1.5+dfsg1-9', '26.1.5+dfsg1-9+deb13u1', -1),
    ('1.0a', '1.0+', -1),
    ('1.0~', '1.0~~', 1),
    ('1.0.1', '1.0a', 1),
    ('1.2', '1.10', -1),
    ('2.5.4-1+deb12u1', '2.6.0-2', -1),
])
def test_debian_versions_compare_as_dpkg_does(one, other, expected):
    assert debian_version_compare(one, other) == expected
    assert debian_version_compare(other, one) == -expected


@pytest.mark.parametrize('components, versions', [(['containerd'], {}), ({}, ['containerd'])])
def test_refuses_what_is_not_a_dict(components, versions):
    with pytest.raises(AnsibleFilterError, match='must be a dict'):
        unavailable(components, versions, 'trixie')
