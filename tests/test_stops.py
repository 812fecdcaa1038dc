"""Stop signals become one exception in the main thread, once, and the old handlers come back."""

from __future__ import annotations

import os
import signal

import pytest
from click.testing import CliRunner

from cti_briefings.cli import cli
from cti_briefings.errors import BuildFailed, BuildStopped, TemplateError
from cti_briefings.stops import Stopped, stop_on_signals


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_stop_signal_raises_stopped_and_a_second_one_does_not_interrupt_the_cleanup(number):
    before = signal.getsignal(number)
    cleaned = False
    with pytest.raises(Stopped) as caught:
        with stop_on_signals():
            try:
                os.kill(os.getpid(), number)
            finally:
                os.kill(os.getpid(), signal.SIGTERM)  # ignored: the cleanup goes on
                cleaned = True
    assert cleaned
    assert caught.value.signum == number and caught.value.exit_code == 128 + number
    assert signal.getsignal(number) == before


def test_the_stop_message_says_which_packs_are_unchanged():
    assert BuildStopped("SIGTERM", 143, 0, 1).format_message() == "stopped by SIGTERM; the last pack is unchanged"
    assert BuildStopped("SIGINT", 130, 0, 3).format_message() == "stopped by SIGINT; the last packs are unchanged"
    stopped = BuildStopped("SIGHUP", 129, 2, 5)
    assert stopped.format_message() == "stopped by SIGHUP after 2 of 5 packs; the other 3 are unchanged"
    assert stopped.exit_code == 129


def test_failed_countries_are_one_line_each_with_their_name(capsys):
    BuildFailed([("veloria", TemplateError("templates/en/meeting_brief.docx: is not a readable Word document"))], 3).show()
    assert capsys.readouterr().err == (
        "error: veloria: templates/en/meeting_brief.docx: is not a readable Word document\n"
        "1 of 3 packs failed; its earlier pack is unchanged.\n"
    )


def test_jobs_must_be_at_least_one(project_root):
    result = CliRunner().invoke(cli, ["build", "example", "--jobs", "0"])
    assert result.exit_code == 2
    assert "Invalid value for '-j' / '--jobs': 0 is not in the range x>=1." in result.output
