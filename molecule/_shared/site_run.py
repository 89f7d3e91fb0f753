# Copyright (c) 2026, sourcebuilt.docker contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run the collection's playbooks from a scenario's tests against the molecule inventory."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

PROJECT = Path(os.environ.get("MOLECULE_PROJECT_DIRECTORY", Path(__file__).resolve().parents[2]))
INVENTORY = os.environ.get("MOLECULE_INVENTORY_FILE", "")


def command(*args: str) -> list[str]:
    """ansible-playbook on playbooks/site.yml (or another playbook given first) and the molecule inventory."""
    name = args[0] if args and args[0].endswith(".yml") else "site.yml"
    rest = args[1:] if args and args[0].endswith(".yml") else args
    exe = Path(sys.executable).with_name("ansible-playbook")
    return [str(exe) if exe.exists() else "ansible-playbook", "-i", str(Path(INVENTORY).parent),
            str(PROJECT / "playbooks" / name), *rest]


def playbook(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run a playbook to its end. One stream: ansible-core prints a task's error on stderr, its result on stdout."""
    return subprocess.run(command(*args), cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          check=False, env=dict(os.environ, **(env or {})))


def start(*args: str) -> subprocess.Popen:
    """Start a playbook in its own process group, its output readable line by line."""
    return subprocess.Popen(command(*args), cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=dict(os.environ, PYTHONUNBUFFERED="1"), start_new_session=True)


def kill_at_task(task: str, *args: str) -> str:
    """Run a playbook and kill it (the controller, as a power cut would) when the task named `task` starts."""
    proc = start(*args)
    seen = []
    assert proc.stdout is not None
    for line in proc.stdout:
        seen.append(line)
        if line.startswith("TASK [") and task in line:
            os.killpg(proc.pid, signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the playbook ended before %r:\n%s" % (task, "".join(seen[-40:]))
    return "".join(seen)


def converges(*args: str) -> str:
    proc = playbook(*args)
    assert proc.returncode == 0, "re-run did not converge:\n%s" % proc.stdout[-6000:]
    return proc.stdout
