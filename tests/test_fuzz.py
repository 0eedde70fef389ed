"""Fuzzing (#13): hostile input ends in a clear peaceops error or a documented result.

Random bytes, truncated files, other encodings, huge lines, quotes, brackets and extreme
numbers go into every loader, the segmenter, vote parsing, sweep and sensitivity files,
resolution references, export paths and the command-line arguments that reach SQL or the file
system. Never a traceback; never a wrong answer with exit status 0.
"""

from __future__ import annotations

import shutil
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import mirror_data_dir
from typer.testing import CliRunner

from peaceops.cli import app
from peaceops.coding.segment import segment
from peaceops.doctrine.voting import parse_states
from peaceops.errors import PeaceopsError, SourceError, UsageError, VoteError
from peaceops.pipeline.build import load_source
from peaceops.sim.sensitivity import parse_sensitivity
from peaceops.sim.sweep import parse_sweep
from peaceops.sources import SOURCES
from peaceops.sources.fetch import manifest_issues
from peaceops.store import Database
from peaceops.store.export import export_table
from peaceops.store.queries import parse_resolution_ref

FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
HOSTILE = st.one_of(
    st.text(),
    st.text(alphabet="[]/\\'\";,()*%_$`\x00\n ", max_size=30),
    st.sampled_from(
        [
            *["", " ", "'", '"', "[/]", "[bold]x", "'; DROP TABLE codes; --", "../../etc/passwd"],
            *["\x00", "2098 (2013", "S/RES/", "9" * 400, "A" * 5000, "-1", "1e309", "NaN"],
        ]
    ),
)
NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=5),
    st.none(),
)


# -- pure parsers -----------------------------------------------------------------------------


@FUZZ
@given(HOSTILE)
def test_vote_parsing_gives_iso3_codes_or_a_vote_error(text):
    try:
        states = parse_states(text)
    except VoteError:
        return
    assert all(len(code) == 3 and code.isupper() for code in states)


@FUZZ
@given(HOSTILE)
def test_resolution_references_are_numbers_or_a_usage_error(text):
    try:
        number = parse_resolution_ref(text)
    except UsageError:
        return
    assert 0 <= number <= 9999 and str(number) in text


@FUZZ
@given(st.text(max_size=3000))
def test_the_segmenter_never_crashes_and_spans_stay_inside(text):
    result = segment(1, text)
    if not result.ok:
        assert result.error
        return
    for paragraph in result.paragraphs:
        assert 0 <= paragraph.start <= paragraph.end <= len(text)


@FUZZ
@given(
    head=st.dictionaries(
        st.sampled_from(["mission", "replicates", "base_seed", "months", "counterfactual", "x"]),
        NUMBERS,
    ),
    parameters=st.dictionaries(
        st.sampled_from(["partner_uptake", "legitimacy_rate", "mandate_period", "nope"]),
        st.one_of(
            NUMBERS,
            st.lists(NUMBERS, max_size=4),
            st.fixed_dictionaries({"low": NUMBERS, "high": NUMBERS, "steps": NUMBERS}),
        ),
    ),
)
def test_sweep_documents_give_a_bounded_spec_or_a_sweep_error(head, parameters):
    document = {"sweep": {"mission": "MINUSMA", **head}, "parameters": parameters}
    try:
        spec = parse_sweep(document)
    except PeaceopsError:
        return
    assert 1 <= spec.count() <= 1_000_000
    assert spec.months is None or 1 <= spec.months <= 1200


@FUZZ
@given(
    head=st.dictionaries(
        st.sampled_from(["method", "samples", "replicates", "seed", "months", "levels", "outputs"]),
        NUMBERS,
    ),
    bounds=st.one_of(st.just("bounds"), st.fixed_dictionaries({"low": NUMBERS, "high": NUMBERS})),
)
def test_sensitivity_documents_give_a_bounded_spec_or_an_error(head, bounds):
    document = {
        "sensitivity": {"mission": "MINUSMA", **head},
        "parameters": {"partner_uptake": bounds},
    }
    try:
        spec = parse_sensitivity(document)
    except PeaceopsError:
        return
    assert spec.point_count() * spec.replicates <= 1_000_000


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_as_a_sweep_file_are_a_sweep_error(tmp_path_factory, raw):
    from peaceops.sim.sweep import load_sweep

    path = tmp_path_factory.mktemp("sweep") / "sweep.toml"
    path.write_bytes(raw)
    try:
        load_sweep(path)
    except PeaceopsError as exc:
        assert str(path) in str(exc) or "sweep" in str(exc)
    else:
        tomllib.loads(raw.decode())  # it was a valid sweep file after all


# -- loaders ------------------------------------------------------------------------------------

FILES = [
    (source, path)
    for source in SOURCES
    for path in source.paths
    if not path.endswith(
        ("texts", "cr-unsc-gold", "texts-post2015", "html", "contributors_monthly")
    )
]


def _damage(kind: str, raw: bytes, seed: bytes) -> bytes:
    if kind == "random":
        return seed * 50
    if kind == "truncated":
        return raw[: max(1, len(raw) // 3)]
    if kind == "utf16":
        return raw[:20000].decode("latin-1").encode("utf-16")
    if kind == "huge line":
        return raw[:2000] + b"x" * 2_000_000 + raw[2000:4000]
    return b""


@pytest.mark.issue(13)
@pytest.mark.parametrize(("source", "path"), FILES, ids=[f"{s.name}:{p}" for s, p in FILES])
@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(kind=st.sampled_from(["random", "truncated", "utf16", "huge line", "empty"]),
       seed=st.binary(min_size=1, max_size=64))  # fmt: skip
def test_issue13_every_loader_fails_clearly_or_loads_loudly(
    data_dir, tmp_path_factory, source, path, kind, seed
):
    mirror = mirror_data_dir(data_dir, tmp_path_factory.mktemp("data"), copy=(path,))
    target = mirror / path
    target.write_bytes(_damage(kind, (data_dir / path).read_bytes(), seed))
    try:
        frames = load_source(source, mirror)
    except SourceError as exc:
        assert path.split("/")[-1] in str(exc) or source.paths[0] in str(exc)
        return
    # it loaded: the damage must at least be on record, never silent
    assert isinstance(frames, dict)
    assert any(issue["item"] == path for issue in manifest_issues(mirror))
    shutil.rmtree(mirror, ignore_errors=True)


# -- what reaches SQL or the file system ----------------------------------------------------------

runner = CliRunner()


@pytest.mark.issue(13)
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    command=st.sampled_from(
        [
            ["show", "resolution"],
            ["show", "resolution", "--codes"],
            ["show", "mission"],
            ["show", "mission", "--mandates"],
            ["explain", "resolution"],
            ["export"],
            ["simulate"],
        ]
    ),
    value=HOSTILE,
)
def test_issue13_hostile_arguments_end_in_a_clear_error_or_a_real_answer(built_db, command, value):
    args = [*command[:2], value, *command[2:]] if len(command) > 1 else [command[0], value]
    if command == ["export"]:
        args += ["-o", "/nonexistent-dir-for-fuzz/x.csv"]
    result = runner.invoke(app, [*args, "--db", str(built_db)])
    assert result.exit_code in (0, 1, 2), (args, result.output)
    if result.exit_code == 2:  # the command line's own usage error (e.g. "-0" read as an option)
        assert "Usage:" in result.output
    elif result.exit_code == 1:
        assert result.exception is None or isinstance(result.exception, SystemExit), args
        assert result.stderr.strip().splitlines()[-1].startswith("error: ")  # after any bar


@pytest.mark.issue(13)
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(name=st.text(alphabet=st.characters(blacklist_characters="/\x00"), min_size=1, max_size=60))
def test_issue13_export_writes_exactly_the_named_file_or_refuses(built_db, tmp_path_factory, name):
    folder = tmp_path_factory.mktemp("export")
    output = folder / f"{name}.csv"
    with Database(built_db) as db:
        try:
            written = export_table(db, "missions", output=output)
        except PeaceopsError:
            assert not [p for p in folder.iterdir() if p.name.endswith(".part")]
            return
    assert written == output and output.is_file()
    assert [p.name for p in folder.iterdir()] == [output.name]


@pytest.mark.issue(13)
@pytest.mark.parametrize("name", ["\udc80", "a\ud800b"])
def test_issue13_a_name_with_a_lone_surrogate_is_refused_not_a_crash(built_db, tmp_path, name):
    """Hypothesis found it: ``\\udc80`` passed os.fsencode (an escaped byte) and crashed the
    CSV writer with a UnicodeEncodeError."""
    with Database(built_db) as db, pytest.raises(PeaceopsError, match="no valid file name"):
        export_table(db, "missions", output=tmp_path / f"{name}.csv")
    assert list(tmp_path.iterdir()) == []
