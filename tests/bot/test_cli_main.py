import io

import pytest

from bot.cli import main


class ClosedPipe(io.StringIO):
    """A stdout whose reader has gone away, as with `rolebot roles | head -1`."""

    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")


def test_output_cut_short_by_the_reader_ends_quietly(tmp_path, monkeypatch):
    db = str(tmp_path / "r.db")
    assert main(["index", "--db", db]) == 0
    monkeypatch.setattr("sys.stdout", ClosedPipe())
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert main(["roles", "--db", db]) == 0


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "COMMAND" in capsys.readouterr().out


def test_named_errors_become_one_line(tmp_path, capsys):
    assert main(["roles", "--db", str(tmp_path / "missing.db")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rolebot: ") and "Traceback" not in err


@pytest.fixture(autouse=True)
def _no_env_config(monkeypatch):
    monkeypatch.delenv("ROLEBOT_CONFIG", raising=False)
