# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Which components have intact artifacts for a fingerprint: the module sourcebuilt.docker.artifact_state on a host,
and its action plugin in-process when the task runs on the controller (a controller cache check starts no Python)."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


RECORD = ".verified.json"


def stat_key(path):
    """What the record keeps of a file: device, inode, size, mtime and ctime (ns)."""
    st = os.stat(path)
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def read_record(directory):
    """The entry's record of verified files, path -> {stat, sha256}; empty when missing or unreadable."""
    try:
        with open(os.path.join(directory, RECORD)) as handle:
            files = json.load(handle).get("files", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return files if isinstance(files, dict) else {}


def write_record(directory, files):
    """Replace the record atomically; an entry this user cannot write keeps no record."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".verified.", dir=directory)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "w") as handle:
            json.dump({"files": files}, handle, sort_keys=True)
        os.chmod(tmp, 0o644)
        os.replace(tmp, os.path.join(directory, RECORD))
    except OSError:
        os.unlink(tmp)
        return False
    return True


def check_component(root, name, fingerprint, hashed=None):
    """Return (manifest, problem, record): exactly one of manifest and problem is None; record is the
    verified files' stat and sha256 (None unless the entry is intact). Paths read go to `hashed`."""
    directory = os.path.join(root, name, fingerprint)
    manifest_path = os.path.join(directory, "manifest.json")
    if not os.path.isfile(manifest_path):
        return None, "no manifest at %s" % directory, None
    try:
        with open(manifest_path) as handle:
            manifest = json.load(handle)
    except (OSError, ValueError) as exc:
        return None, "unreadable manifest %s: %s" % (manifest_path, exc), None
    if manifest.get("fingerprint") != fingerprint:
        return None, "manifest %s names fingerprint %s" % (manifest_path, manifest.get("fingerprint")), None
    known = read_record(directory)
    record = {}
    for entry in manifest.get("files", []):
        path = os.path.join(directory, entry["path"])
        if not os.path.isfile(path):
            return None, "missing %s" % path, None
        key = stat_key(path)
        if known.get(entry["path"]) != {"stat": key, "sha256": entry.get("sha256")}:
            if hashed is not None:
                hashed.append(path)
            if sha256_file(path) != entry.get("sha256"):
                return None, "checksum mismatch on %s" % path, None
        record[entry["path"]] = {"stat": key, "sha256": entry.get("sha256")}
    return manifest, None, record


def artifact_state(root: str, components: dict, check_mode: bool = False) -> dict:
    """{current, manifests, problems} of `components` (name -> fingerprint) under `root`; outside check mode the
    record of verified files of each intact entry is brought up to date."""
    current, manifests, problems = [], {}, {}
    for name in sorted(components):
        fingerprint = str(components[name])
        manifest, problem, record = check_component(root, name, fingerprint)
        if problem is None:
            current.append(name)
            manifests[name] = manifest
            directory = os.path.join(root, name, fingerprint)
            if not check_mode and record != read_record(directory):
                write_record(directory, record)
        else:
            problems[name] = problem
    return {"current": current, "manifests": manifests, "problems": problems}
