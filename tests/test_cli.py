"""The command line (issue 12): help with an example everywhere, clear refusals, quiet pipes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from extract import __version__
from extract.cli import EXAMPLES, build_parser, main

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = ["run", "evaluate", "conform", "gold", "fit-linker", "bench"]


def test_every_command_is_listed_with_an_example() -> None:
    assert sorted(EXAMPLES) == sorted(COMMANDS)
    text = build_parser().format_help()
    for command in COMMANDS:
        assert command in text and EXAMPLES[command] in text


@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommand_has_help_with_a_description_an_example_and_every_option(
    command: str, capsys
) -> None:
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    assert "example:" in text and EXAMPLES[command] in text
    parser = build_parser()
    sub = next(a for a in parser._subparsers._group_actions).choices[command]
    summary = sub.description.split("\n")[0]
    assert summary.endswith(".") and summary in text  # a one-line description first
    for action in sub._actions:
        if action.dest != "help":
            assert action.help, f"{command} {action.option_strings or action.dest} has no help"


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"extract {__version__}"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "--jobs", "0"], "argument --jobs: must be at least 1, got 0"),
        (["run", "--jobs", "two"], "argument --jobs: 'two' is not a whole number"),
        (["run", "--max-mb", "-1"], "argument --max-mb: must be a number above 0, got -1"),
        (["run", "--max-mb", "nan"], "argument --max-mb: must be a number above 0"),
        (
            ["run", "--doc-timeout", "-5"],
            "argument --doc-timeout: '-5' is not a time budget: give seconds above 0 (60, 2.5), "
            "or 0, off or none for no limit",
        ),
        (  # tester20 E7: the accepted values are listed
            ["run", "--doc-timeout", "abc"],
            "argument --doc-timeout: 'abc' is not a time budget: give seconds above 0 (60, 2.5), "
            "or 0, off or none for no limit",
        ),
        (["evaluate", "--set", "x", "--jobs", "-1"], "argument --jobs: must be at least 1"),
        (["conform", "x", "--show", "-1"], "argument --show: must be 0 or more"),
        (["bench", "--docs", "0"], "argument --docs: must be at least 1"),
    ],
)
def test_invalid_values_are_refused_with_a_clear_message(argv, message, capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_doc_timeout_off(tmp_path: Path) -> None:
    args = build_parser().parse_args(["run", "--doc-timeout", "off"])
    assert args.doc_timeout == 0.0


@pytest.mark.parametrize(
    "text, address",
    [("none", None), ("LOCAL", None), ("auto", "auto"), ("ray://head:10001", "ray://head:10001")],
)
def test_ray_address_none_starts_ray_here(text: str, address: str | None) -> None:
    args = build_parser().parse_args(["run", "--engine", "ray", "--address", text])
    assert args.address == address


@pytest.mark.parametrize("text", ["bogus", "http://x", "host:port", "ray://"])
def test_a_bad_ray_address_is_refused_before_anything_runs(text: str, capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["run", "--engine", "ray", "--address", text])
    assert info.value.code == 2
    assert "is not a Ray address" in capsys.readouterr().err


def test_address_without_ray_is_refused(tmp_path: Path, capsys) -> None:
    assert main(["run", "--corpus", str(tmp_path), "--address", "auto"]) == 2
    assert "--address is for --engine ray" in capsys.readouterr().err


def test_fit_linker_on_a_missing_set_is_one_line_not_a_traceback(tmp_path: Path, capsys):
    out = tmp_path / "w.toml"
    code = main(["fit-linker", "--set", str(tmp_path / "nowhere"), "--no-cv", "--out", str(out)])
    assert code == 2 and not out.exists()
    assert "bad labeled set" in capsys.readouterr().err


def test_missing_corpus_names_the_absolute_folder(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["run", "--corpus", "nowhere", "--out", "out"]) == 2
    err = capsys.readouterr().err
    assert str(tmp_path / "nowhere") in err and "does not exist" in err
    assert ".hwp" in err and ".pdf" in err and ".docx" in err
    assert not (tmp_path / "out").exists()


def test_output_cut_short_by_the_reader_ends_quietly(tmp_path: Path) -> None:
    labeled = tmp_path / "set"
    (labeled / "corpus").mkdir(parents=True)
    (labeled / "corpus" / "a.txt").write_text("The city spends $5 million on parks.\n")
    (labeled / "gold.csv").write_text(
        "doc,text,amount,amount_max,currency,project,qualifier\n"
        "a.txt,$5 million,5000000,,USD,parks,\n"
    )
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before anything is written (`| head -0`)
    proc = subprocess.run(
        [sys.executable, "-m", "extract", "evaluate", "--set", str(labeled), "--json"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=write_end,
        stderr=subprocess.PIPE,
        text=True,
        timeout=600,
    )
    os.close(write_end)
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr, proc.stderr
    assert proc.returncode == 141


def test_summary_paths_are_relative_only_under_the_working_folder(tmp_path: Path, monkeypatch):
    # tester20 E4: `--out /tmp/x` was shown as `../../../tmp/x/records.csv`
    from extract.errors import shown_path
    from extract.pipeline import RunSummary, format_summary

    work = tmp_path / "work"
    (work / "corpora").mkdir(parents=True)
    monkeypatch.chdir(work)
    elsewhere = tmp_path / "elsewhere" / "records.csv"
    summary = RunSummary(corpus=Path("../elsewhere/corpus"), out=elsewhere.parent)
    summary.outputs = [work / "outputs" / "records.csv", elsewhere]
    text = format_summary(summary)
    assert f"outputs: outputs{os.sep}records.csv, {elsewhere}" in text
    assert f"files seen in {tmp_path / 'elsewhere' / 'corpus'}:" in text
    assert ".." not in text
    assert shown_path("corpora") == "corpora" and shown_path(work) == "."
    assert shown_path(tmp_path) == str(tmp_path)


def test_summary_says_how_records_in_another_language_were_read() -> None:
    # tester20 E3: `by language: en 13, et 4, ko 1085` left `et` unexplained
    from extract.pipeline import RunSummary, format_summary

    summary = RunSummary(corpus=Path("corpora"), out=Path("outputs"))
    summary.records_by_lang.update({"ko": 5, "en": 2})
    assert "neither Korean nor English" not in format_summary(summary)
    summary.records_by_lang.update({"fr": 1, "und": 1})
    text = format_summary(summary)
    assert "by language: en 2, fr 1, ko 5, und 1" in text
    assert (
        "  fr, und: neither Korean nor English (a language code from langdetect; "
        "und = undecided): those records were read with the English rules (the Korean "
        "ones for amounts written in Hangul); check them"
    ) in text
