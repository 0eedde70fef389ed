"""The one output rule (#27): no command's output can replace the store, the data or the texts.

Every command that takes an output path is walked with every protected target, with and
without ``--force``; the store's SHA-256 must never change. A second test reads the command
tree, so that a new output option that this table does not know fails here.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import typing
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from peaceops.cli import app
from peaceops.errors import UsageError
from peaceops.store.outputs import check_output, write_output

pytestmark = pytest.mark.issue(27)
runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]

#: Every command with an output path: (command words, option, extra arguments). The value
#: ``{out}`` is where the target goes.
OUTPUTS = [
    (("export", "missions"), "--output", ()),
    (("report", "mission", "MINUSMA"), "--output", ("--seeds", "0")),
    (("report", "resolution", "2098"), "--output", ()),
    (("report", "compare", "MINUSMA", "UNAMA"), "--output", ()),
    (("report", "council"), "--output", ()),
    (("paper",), "--html", ()),
    (("paper",), "--markdown", ()),
    (("evaluate",), "--report", ()),
    (("evaluate", "--lockbox"), "--record", ()),
    (("votes", "check"), "--report", ()),
    (("forecast", "backtest"), "--markdown", ()),
    (("forecast", "backtest"), "--summary", ()),
    (("sensitivity", str(ROOT / "examples" / "sensitivity-minusma.toml")), "--output", ()),
    (("validate", "sim"), "--markdown", ()),
    (("status",), "--links-markdown", ()),
    (("status",), "--strength-markdown", ()),
]
#: Commands whose output is a folder.
FOLDERS = [
    (("sweep", str(ROOT / "examples" / "sweep-minusma.toml")), "--out", ()),
    (("forecast",), "--archive", ("--as-of", "2023-01-01", "--resamples", "0")),
]
#: ``data fetch`` fills a data directory: only the store and the texts are refused to it.
FETCH = (("data", "fetch"), "--dest", ())
#: Path options that are inputs, not outputs.
INPUTS = {"db", "data_dir", "files", "file", "gold", "directory"}  # directory: forecast score


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def setting(built_db, data_dir, tmp_path, monkeypatch):
    """A copy of the store with a WAL, a lock file, links to it, and a texts folder."""
    store = tmp_path / "kb" / "peaceops.duckdb"
    store.parent.mkdir()
    shutil.copy(built_db, store)
    (store.parent / f"{store.name}.wal").write_bytes(b"")
    (store.parent / f".{store.name}.lock").write_bytes(b"")
    os.symlink(store, tmp_path / "link.html")
    os.link(store, tmp_path / "hard.csv")
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "S-RES-2300(2016).txt").write_text("The Security Council,\n")
    monkeypatch.setenv("PEACEOPS_TEXTS", str(texts))
    monkeypatch.setenv("PEACEOPS_DATA", str(data_dir))
    monkeypatch.setenv("PEACEOPS_DB", str(store))
    return store, texts, data_dir


def _targets(store: Path, texts: Path, data_dir: Path, tmp_path: Path) -> dict[str, Path]:
    return {
        "store": store,
        "wal": store.parent / f"{store.name}.wal",
        "lock": store.parent / f".{store.name}.lock",
        "temporary": store.parent / f".{store.name}.building-1",
        "symlink": tmp_path / "link.html",
        "hard link": tmp_path / "hard.csv",
        "data file": data_dir / "README.md",
        "texts file": texts / "S-RES-2300(2016).txt",
        "texts folder": texts / "new.html",
    }


@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
@pytest.mark.parametrize(("words", "option", "extra"), OUTPUTS, ids=lambda v: str(v))
def test_issue27_no_output_path_can_replace_the_store_the_data_or_the_texts(
    setting, tmp_path, words, option, extra, force
):
    store, texts, data_dir = setting
    before = {p: _sha(p) for p in (store, data_dir / "README.md", texts / "S-RES-2300(2016).txt")}
    for name, target in _targets(store, texts, data_dir, tmp_path).items():
        args = [*words, option, str(target), *extra, "--db", str(store)]
        if force:
            args.append("--force")
        result = runner.invoke(app, args)
        assert result.exit_code == 1, (name, args, result.output)
        assert "cannot be an output" in result.stderr, (name, result.stderr)
        assert "Traceback" not in result.output
    assert {p: _sha(p) for p in before} == before
    assert not (texts / "new.html").exists()


@pytest.mark.parametrize(("words", "option", "extra"), FOLDERS, ids=lambda v: str(v))
def test_issue27_no_output_folder_can_be_the_store_the_data_or_the_texts(
    setting, tmp_path, words, option, extra
):
    store, texts, data_dir = setting
    before = _sha(store)
    for target in (store, texts, texts / "sub", data_dir, data_dir / "votes"):
        result = runner.invoke(app, [*words, option, str(target), *extra, "--db", str(store)])
        assert result.exit_code == 1, (target, result.output)
        assert "cannot hold outputs" in result.stderr or "is a file" in result.stderr
    assert _sha(store) == before
    assert sorted(p.name for p in texts.iterdir()) == ["S-RES-2300(2016).txt"]


def test_issue27_data_fetch_never_fills_the_store_or_the_texts(setting, tmp_path):
    store, texts, _ = setting
    before = _sha(store)
    words, option, _ = FETCH
    for target in (store, texts, texts / "sub", tmp_path / "link.html"):
        result = runner.invoke(app, [*words, option, str(target), "--db", str(store),
                                     "--base-url", "http://127.0.0.1:9/"])  # fmt: skip
        assert result.exit_code == 1, (target, result.output)
        assert "cannot hold outputs" in result.stderr or "is a file" in result.stderr
    assert _sha(store) == before
    assert sorted(p.name for p in texts.iterdir()) == ["S-RES-2300(2016).txt"]


def _commands(group, prefix: tuple[str, ...] = ()):
    """``(words, command)`` of every command of the tree (typer ships its own click)."""
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _commands(command, (*prefix, name))
        if command.callback is not None:
            yield (*prefix, name), command


def _path_parameters(command) -> dict[str, str]:
    """``{parameter name: option name}`` of the command's parameters typed as paths."""
    hints = typing.get_type_hints(command.callback, include_extras=True)
    options = {p.name: max(p.opts, key=len).lstrip("-") for p in command.params}
    return {
        name: options.get(name, name)
        for name, hint in hints.items()
        if name != "return" and "Path" in repr(hint)
    }


def test_issue27_every_path_option_is_an_input_or_a_walked_output():
    """A new output option must join OUTPUTS or FOLDERS (and so the walk above)."""
    tree = typer.main.get_command(app)
    walked = {
        (words[: _depth(tree, words)], option.lstrip("-"))
        for words, option, _ in [*OUTPUTS, *FOLDERS, FETCH]
    }
    found = set()
    for words, command in _commands(tree):
        for name, option in _path_parameters(command).items():
            if name in INPUTS:
                continue
            found.add((words, option))
    assert found <= walked, f"output options not walked by the test: {sorted(found - walked)}"
    assert walked <= found, f"walked options that no longer exist: {sorted(walked - found)}"


def _depth(tree, words: tuple[str, ...]) -> int:
    """How many of the words name the command (the rest are its arguments)."""
    depth, group = 0, tree
    for word in words:
        if not hasattr(group, "commands") or word not in group.commands:
            break
        group, depth = group.commands[word], depth + 1
    return depth


def test_issue27_an_existing_file_is_replaced_only_with_force(setting, tmp_path):
    store, _, _ = setting
    existing = tmp_path / "existing.txt"
    existing.write_text("keep me")
    refused = runner.invoke(app, ["paper", "-c", "1", "--markdown", str(existing), "--db", store])
    assert refused.exit_code == 1 and "pass --force" in refused.stderr
    assert existing.read_text() == "keep me"
    replaced = runner.invoke(
        app, ["paper", "-c", "1", "--markdown", str(existing), "--force", "--db", str(store)]
    )
    assert replaced.exit_code == 0, replaced.output
    assert existing.read_text().startswith("#")


def test_issue27_outputs_are_written_with_the_umask_and_leave_no_temporary_file(tmp_path):
    old = os.umask(0o022)
    try:
        path = write_output(tmp_path / "a" / "out.md", "text", db=tmp_path / "kb.duckdb")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert [p.name for p in path.parent.iterdir()] == ["out.md"]


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_issue27_a_folder_or_fifo_is_never_an_output_file(tmp_path, kind):
    target = tmp_path / "x"
    if kind == "folder":
        target.mkdir()
    else:
        os.mkfifo(target)
    with pytest.raises(UsageError, match=r"folder|not a regular file"):
        check_output(target, force=True, db=tmp_path / "kb.duckdb")


def test_issue27_the_rule_flips_for_a_plain_new_file(tmp_path):
    """The guard is no blanket refusal: an ordinary new path passes, and is written."""
    out = tmp_path / "new.md"
    assert check_output(out, db=tmp_path / "kb.duckdb") == out
    assert write_output(out, "x", db=tmp_path / "kb.duckdb").read_text() == "x"


def test_issue27_forecast_resamples_are_bounded(built_db, monkeypatch):
    for args, needle in (
        (["--resamples", "100000000"], "--resamples must be between 0 and 10,000"),
        (["--resamples", "-1"], "--resamples must be between"),
        (["--seed", "-5"], "--seed must be between"),
    ):
        result = runner.invoke(app, ["forecast", *args, "--db", str(built_db)])
        assert result.exit_code == 1 and needle in result.stderr, result.output
    monkeypatch.setenv("PEACEOPS_MAX_RESAMPLES", "5")  # the bound is a setting
    result = runner.invoke(app, ["forecast", "--resamples", "6", "--db", str(built_db)])
    assert "between 0 and 5" in result.stderr
