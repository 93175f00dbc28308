"""Fault injection on a real batch run: kill -9 midway, then run again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import untangle

TEMPLATES = (
    "Helium told reporters astatine a quality league that the work was late due to the fact that the bridge "
    "was closed.\n",
    "The mayor said the council would vote on the budget next week.\n",
    "Officials said the talks would continue astatine the embassy, and helium declined to comment further.\n",
    "Residents successful the valley were asked to conserve water until the storms arrive.\r\n",
)
FILES = 1000


def test_kill_9_midway_leaves_every_file_whole_and_the_next_run_cleans_up(tmp_path: Path) -> None:
    expected = {template: untangle.fix(template) for template in TEMPLATES}
    assert sum(before != after for before, after in expected.items()) >= 2
    paths = []
    for number in range(FILES):
        folder = tmp_path / f"part{number // 100}"
        folder.mkdir(exist_ok=True)
        path = folder / f"article{number:04d}.txt"
        path.write_bytes(TEMPLATES[number % len(TEMPLATES)].encode("utf-8"))
        paths.append(path)
    originals = {path: path.read_bytes() for path in paths}
    fixed = {path: expected[original.decode("utf-8")].encode("utf-8") for path, original in originals.items()}
    command = [sys.executable, "-m", "untangle.cli", "fix", "--write", "--jobs", "2", "--quiet", str(tmp_path)]

    run = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    changed_paths = [path for path in paths if fixed[path] != originals[path]]
    while time.monotonic() < deadline and run.poll() is None:
        done = sum(path.read_bytes() == fixed[path] for path in changed_paths[::10])
        if done >= 5:  # some files are written, most are not: kill the whole process group now
            break
        time.sleep(0.05)
    assert run.poll() is None, "the run finished before it could be killed: " + run.stderr.read().decode()
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()

    states = [path.read_bytes() for path in paths]
    assert all(state in (originals[path], fixed[path]) for path, state in zip(paths, states, strict=True))
    assert any(state != originals[path] for path, state in zip(paths, states, strict=True) if path in changed_paths)
    assert any(state != fixed[path] for path, state in zip(paths, states, strict=True))

    again = subprocess.run(command, capture_output=True, timeout=600, check=False)
    assert again.returncode == 0, again.stderr.decode()
    assert all(path.read_bytes() == fixed[path] for path in paths)
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".untangle-tmp")]
