"""``hyosan serve``'s refusals, before any server starts: exit status 2 and one message."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from .cli_runner import Cli


@pytest.fixture()
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(capsys)


def test_a_bad_scenario_file_is_refused_before_a_server(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('model = "munz-basic"\n[time]\nend = -1\n')
    assert cli("serve", bad, "--port", "1") == 2
    assert "bad.toml" in cli.err and "time.end" in cli.err and "-1" in cli.err
    assert "Traceback" not in cli.err and "http://" not in cli.out


@pytest.mark.parametrize("port", ["0", "70000"])
def test_a_port_out_of_range_is_refused(cli: Cli, port: str) -> None:
    assert cli("serve", "--port", port) == 2
    assert "--port" in cli.err and "1 to 65535" in cli.err


def test_a_port_in_use_is_refused_with_the_address(cli: Cli) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert cli("serve", "--port", port) == 2
    assert f"127.0.0.1:{port}" in cli.err and "cannot listen there" in cli.err
    assert "Traceback" not in cli.err
