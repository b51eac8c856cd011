"""Page runs take turns in one server process (ui.serve.take_turns): at most the given number run at once, and
none waits longer than the bound, so one slow run (an upload being read) never holds the others back for long."""

from __future__ import annotations

import threading
import time

import pytest
from streamlit.runtime.scriptrunner import script_runner

from ui import serve


@pytest.fixture
def runs(monkeypatch):
    """Stand-in page runs: the first blocks until the test lets it finish; every run records that it started."""
    started, entered, release = [], threading.Event(), threading.Event()

    def fake_run(self, rerun_data):
        started.append((rerun_data, time.monotonic()))
        entered.set()
        if rerun_data == "slow":
            release.wait(timeout=30)

    monkeypatch.setattr(script_runner.ScriptRunner, "_run_script", fake_run)
    yield started, entered, release
    release.set()


def test_a_second_page_run_waits_for_the_first_and_never_longer_than_the_bound(runs):
    started, entered, release = runs
    serve.take_turns(slots=1, wait=1.0)
    run = script_runner.ScriptRunner._run_script
    slow = threading.Thread(target=run, args=(None, "slow"))
    slow.start()
    assert entered.wait(timeout=10)  # the slow run holds the only slot
    begun = time.monotonic()
    quick = threading.Thread(target=run, args=(None, "quick"))
    quick.start()
    quick.join(timeout=10)
    waited = started[1][1] - begun
    assert [name for name, _ in started] == ["slow", "quick"]
    assert 0.9 <= waited < 5  # it waited its turn, then ran anyway while the slow run went on
    release.set()
    slow.join(timeout=10)
