# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Stand-in for ansible-test's pip bootstrap script (get-pip.py), for hosts that reach PyPI but not ci-files.

ansible-test runs ``python ~/.ansible/test/cache/get_pip_<version>.py [pip options] pip==<version>`` inside each new
sanity virtual environment. This stand-in installs pip with the standard library's ``ensurepip`` (offline, bundled
wheel) and then lets that pip install the requested packages from the configured index.
"""

from __future__ import annotations

import ensurepip
import subprocess
import sys

# get-pip.py specific options that "pip install" does not know.
GET_PIP_ONLY = ('--no-setuptools', '--no-wheel')


def main():
    ensurepip.bootstrap(upgrade=True)
    args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY]
    sys.exit(subprocess.call([sys.executable, '-m', 'pip', 'install'] + args))


if __name__ == '__main__':
    main()
