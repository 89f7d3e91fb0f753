# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The signed provenance of a release (plugins/plugin_utils/provenance.py) for every real profile's plan: an in-toto
Statement v1 with an SLSA provenance v1 predicate whose subjects are every file with its sha256; signed and checked
with real keys through the controller's ssh-keygen; every way a release can be unsigned or altered is refused, with
the reason."""

from __future__ import annotations

import copy
import json
import os
import subprocess

import pytest

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils import provenance
from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.build_plan import FINGERPRINT_LENGTH, build_fingerprint
from ansible_collections.sourcebuilt.docker.tests.unit.plugins.filter.test_release_sbom import PROFILES, release_of


def keypair(directory, name, principal):
    """A real ed25519 key and the allowed_signers line that trusts it for release signatures."""
    key = os.path.join(directory, name)
    subprocess.run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', principal, '-f', key], check=True)
    with open(key + '.pub') as handle:
        line = '%s namespaces="%s" %s' % (principal, provenance.NAMESPACE, handle.read().strip())
    return key, line


@pytest.fixture(name='site')
def fixture_site(tmp_path):
    """A signing key, an allowed_signers file trusting it, and a provenance dir."""
    key, line = keypair(str(tmp_path), 'release-key', 'release-signer@site')
    allowed = tmp_path / 'allowed_signers'
    allowed.write_text(line + '\n')
    return {'key': key, 'allowed': str(allowed), 'dir': str(tmp_path / 'provenance'), 'tmp': tmp_path}


@pytest.mark.parametrize('profile', PROFILES)
def test_the_statement_of_every_profile_names_every_file_and_input(profile):
    release, plan = release_of(profile)
    statement = provenance.release_statement(release, plan, '0.2.0')
    assert statement['_type'] == 'https://in-toto.io/Statement/v1'
    assert statement['predicateType'] == 'https://slsa.dev/provenance/v1'
    expected = sorted(('%s/%s' % (name, entry['path']), entry['sha256'])
                      for name, manifest in release['components'].items() for entry in manifest['files'])
    assert [(item['name'], item['digest']['sha256']) for item in statement['subject']] == expected
    definition = statement['predicate']['buildDefinition']
    assert definition['externalParameters']['release'] == release['id']
    assert definition['externalParameters']['fingerprints'] == {name: plan['fingerprints'][name] for name in release['components']}
    assert definition['internalParameters']['inputs'] == {name: plan['inputs'][name] for name in release['components']}
    names = [dep['name'] for dep in definition['resolvedDependencies']]
    # An SLSA ResourceDescriptor has at least one of uri, digest or content.
    assert all(dep.get('uri') or dep.get('digest') for dep in definition['resolvedDependencies']
               if ':patch:' not in dep['name']), definition['resolvedDependencies']
    for name in release['components']:
        assert '%s:source' % name in names
        for label, sha in plan['inputs'][name]['patches']:
            assert {'name': '%s:patch:%s' % (name, label), 'digest': {'sha256': sha}} in definition['resolvedDependencies']
        if plan['inputs'][name]['toolchain']:
            assert '%s:go:%s' % (name, plan['inputs'][name]['toolchain']['name']) in names
    # An auditor recomputes each fingerprint from the inputs the statement lists.
    for name, inputs in definition['internalParameters']['inputs'].items():
        assert build_fingerprint(inputs, length=FINGERPRINT_LENGTH) == plan['fingerprints'][name]
    assert provenance.statement_problems(statement, release) == []
    assert provenance.statement_bytes(statement) == provenance.statement_bytes(provenance.release_statement(*release_of(profile), '0.2.0'))


def altered(release, change):
    release = copy.deepcopy(release)
    change(release)
    return release


def change_sha(release):
    release['components']['runc']['files'][0]['sha256'] = 'f' * 64


def add_file(release):
    release['components']['runc']['files'].append({'path': 'bin/runc.extra', 'sha256': 'e' * 64})


def change_id(release):
    release['id'] = 'ffffffffffff'


@pytest.mark.parametrize('change, problem', [
    (change_sha, 'runc/bin/runc has sha256 ' + 'f' * 64),
    (add_file, 'runc/bin/runc.extra is not among its signed files'),
    (change_id, 'it is the provenance of release 0123456789ab, not of ffffffffffff'),
])
def test_a_release_other_than_the_signed_one_is_named(change, problem):
    release, plan = release_of('debian-bookworm')
    statement = provenance.release_statement(release, plan)
    problems = provenance.statement_problems(statement, altered(release, change))
    assert len(problems) == 1 and problems[0].startswith(problem), problems


def test_a_release_with_fewer_files_than_signed_is_vouched_for():
    """A host's manifest may list only deployed components: each file it lists must be signed as it is."""
    release, plan = release_of('debian-bookworm')
    statement = provenance.release_statement(release, plan)
    fewer = altered(release, lambda r: r['components'].pop('libseccomp'))
    assert provenance.statement_problems(statement, fewer) == []


@pytest.mark.parametrize('statement', [None, [], {'_type': 'https://in-toto.io/Statement/v0.1'},
                                       {'_type': provenance.STATEMENT_TYPE, 'predicateType': 'https://spdx.dev/Document'}])
def test_what_is_not_an_slsa_statement_is_refused(statement):
    release, _plan = release_of('debian-bookworm')
    assert provenance.statement_problems(statement, release)[0].startswith('it is not an in-toto statement')


@pytest.mark.parametrize('release', [{}, {'id': 'abc'}, {'id': 'abc', 'components': {}},
                                     {'id': 'abc', 'components': {'runc': {'files': [{'path': 'bin/runc'}]}}}])
def test_a_release_without_files_and_sums_cannot_be_described(release):
    with pytest.raises(provenance.ProvenanceError):
        provenance.release_statement(release)


def test_a_signed_release_is_trusted_and_a_second_signing_writes_nothing(site):
    release, plan = release_of('debian-bookworm')
    first = provenance.sign_release(site['dir'], release, plan, site['key'], '0.2.0')
    path = os.path.join(site['dir'], '0123456789ab.intoto.json')
    assert first == {'path': path, 'wrote': [path, path + '.sig']}
    assert json.loads(open(path).read()) == provenance.release_statement(release, plan, '0.2.0')
    before = os.stat(path + '.sig').st_mtime_ns
    assert provenance.sign_release(site['dir'], release, plan, site['key'], '0.2.0')['wrote'] == []
    assert os.stat(path + '.sig').st_mtime_ns == before
    assert provenance.check_release(site['dir'], release, site['allowed']) == {'path': path, 'signed_by': 'release-signer@site'}


def test_a_dry_run_writes_nothing_and_says_what_it_would(site):
    release, plan = release_of('debian-bookworm')
    result = provenance.sign_release(site['dir'], release, plan, site['key'], dry_run=True)
    assert result['wrote'] == [result['path'], result['path'] + '.sig']
    assert not os.path.exists(site['dir'])


def test_a_missing_signature_is_made_again_for_the_statement_already_there(site):
    release, plan = release_of('debian-bookworm')
    path = provenance.sign_release(site['dir'], release, plan, site['key'])['path']
    os.unlink(path + '.sig')
    assert provenance.sign_release(site['dir'], release, plan, site['key'])['wrote'] == [path + '.sig']
    assert provenance.check_release(site['dir'], release, site['allowed'])['signed_by'] == 'release-signer@site'


def test_a_statement_there_that_does_not_vouch_for_the_release_is_never_replaced(site):
    release, plan = release_of('debian-bookworm')
    path = provenance.sign_release(site['dir'], release, plan, site['key'])['path']
    text = open(path).read()
    with pytest.raises(provenance.ProvenanceError, match='is not the provenance of release 0123456789ab: runc/bin/runc has sha256'):
        provenance.sign_release(site['dir'], altered(release, change_sha), plan, site['key'])
    assert open(path).read() == text


def tamper_statement(site, path):
    statement = json.loads(open(path).read())
    statement['subject'][0]['digest']['sha256'] = '0' * 64
    open(path, 'w').write(json.dumps(statement))


def remove_signature(site, path):
    os.unlink(path + '.sig')


def remove_statement(site, path):
    os.unlink(path)


def sign_with_an_untrusted_key(site, path):
    key, _line = keypair(str(site['tmp']), 'other-key', 'someone@else')
    with open(path, 'rb') as handle:
        data = handle.read()
    open(path + '.sig', 'wb').write(provenance.sign(key, data))


def trust_another_namespace(site, path):
    text = open(site['allowed']).read().replace(provenance.NAMESPACE, 'file')
    open(site['allowed'], 'w').write(text)


@pytest.mark.parametrize('spoil, message', [
    (tamper_statement, 'is not trusted: its signature is not by a key of'),
    (remove_signature, 'is not signed: '),
    (remove_statement, 'has no provenance: '),
    (sign_with_an_untrusted_key, 'is not trusted: its signature is not by a key of'),
    (trust_another_namespace, 'is not trusted: its signature is not by a key of'),
])
def test_an_unsigned_or_altered_provenance_is_refused(site, spoil, message):
    release, plan = release_of('debian-bookworm')
    path = provenance.sign_release(site['dir'], release, plan, site['key'])['path']
    spoil(site, path)
    with pytest.raises(provenance.ProvenanceError, match='release 0123456789ab|provenance of release 0123456789ab') as error:
        provenance.check_release(site['dir'], release, site['allowed'])
    assert message in str(error.value)


def test_altered_files_under_a_good_signature_are_refused(site):
    release, plan = release_of('debian-bookworm')
    provenance.sign_release(site['dir'], release, plan, site['key'])
    expected = r'release 0123456789ab is not what release-signer@site signed in .*: runc/bin/runc has sha256 f{64}, the signed one is'
    with pytest.raises(provenance.ProvenanceError, match=expected):
        provenance.check_release(site['dir'], altered(release, change_sha), site['allowed'])


@pytest.mark.parametrize('missing', ['key', 'allowed'])
def test_a_key_or_trust_root_that_is_not_a_file_is_named(site, missing):
    release, plan = release_of('debian-bookworm')
    if missing == 'key':
        with pytest.raises(provenance.ProvenanceError, match='the signing key /nonexistent is not a file'):
            provenance.sign_release(site['dir'], release, plan, '/nonexistent')
    else:
        provenance.sign_release(site['dir'], release, plan, site['key'])
        with pytest.raises(provenance.ProvenanceError, match='the trusted signers file /nonexistent is not a file'):
            provenance.check_release(site['dir'], release, '/nonexistent')
