"""The docs stay true to the code: the README front page and the mkdocs site under docs/.

- the generated config reference equals what the generator writes from today's code;
- `mkdocs build --strict` passes (a broken link or anchor fails it), when mkdocs is installed;
- every relative link of the README points at a file that exists;
- the README's Quickstart test command is the one CI runs;
- the README's costs table carries the numbers of docs/multilingual.md's Costs table;
- every `piikit key=value ...` command shown in the README and the docs composes into a valid config.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"


def _generator():
    spec = importlib.util.spec_from_file_location("gen_config_reference", DOCS / "gen_config_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_config_reference_is_current():
    gen = _generator()
    committed = (DOCS / "reference" / "config.md").read_text(encoding="utf-8")
    assert gen.render() == committed, "docs/reference/config.md is stale: run python docs/gen_config_reference.py"


def test_config_reference_covers_every_setting():
    """Every field of every built-in option's dataclass has a row, with its composed default."""
    import dataclasses

    from piikit import plugins
    from piikit.config import MaskConfig

    page = (DOCS / "reference" / "config.md").read_text(encoding="utf-8")
    for kind in ("dataset", "tuner"):
        for entry in plugins.registry(kind).values():
            if entry.source != "piikit.builtin":
                continue
            section = page.split(f"### `{kind}={entry.name}`", 1)[1].split("\n### ", 1)[0]
            for f in dataclasses.fields(entry.config):
                assert f"| `{kind}.{f.name}` |" in section, (kind, entry.name, f.name)
    mask = page.split("### `mask=default`", 1)[1]
    for f in dataclasses.fields(MaskConfig):
        assert f"`mask.{f.name}" in mask, f.name
    # a default the dataclass gives and no YAML restates is still documented: crf's e5_clusters
    assert "| `tuner.e5_clusters` | `int` | `0` |" in page


def test_yaml_comments_are_read(tmp_path):
    gen = _generator()
    conf = tmp_path / "x.yaml"
    conf.write_text(
        "# Header line one.\n#   piikit tuner=x\ndefaults:\n  - _self_\n"
        "# above a\na: 1            # trailing a\n"
        "b: 2            # first part\n                #   continued\n"
        "c:\n  d: '#not a comment'   # nested d\n"
    )
    header, comments = gen.yaml_comments(conf)
    assert header.splitlines() == [" Header line one.", "   piikit tuner=x"]
    assert comments["a"] == "above a trailing a"
    assert comments["b"] == "first part continued"
    assert comments["c.d"] == "nested d"


@pytest.mark.skipif(importlib.util.find_spec("mkdocs") is None, reason="mkdocs is not installed (pip install -e '.[docs]')")
def test_mkdocs_build_strict(tmp_path):
    r = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-3000:]
    assert (tmp_path / "site" / "reference" / "config" / "index.html").is_file()


def _links(text: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"\]\(([^)\s]+)\)", text)]


def test_readme_links_resolve():
    links = [link for link in _links(README.read_text(encoding="utf-8")) if not re.match(r"[a-z]+:", link)]
    assert links, "the README links its docs pages"
    missing = [link for link in links if not (ROOT / link.split("#")[0]).exists()]
    assert not missing, missing


def test_readme_is_a_front_page():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 250
    for title, page in (("Use a model from Python", "docs/python-api.md"), ("Use piikit from Presidio", "docs/presidio.md"),
                        ("What piikit writes, and what it never writes", "docs/outputs.md")):
        assert f"[{title}]({page})" in text


def _quickstart_commands() -> list[str]:
    quick = README.read_text(encoding="utf-8").split("## Quickstart", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    return [ln for ln in quick.splitlines() if ln.strip() and not ln.startswith("#")]


def test_quickstart_test_command_is_what_ci_runs():
    setup, tests = _quickstart_commands()
    assert setup.endswith("pip install -e . && piikit")
    *install, run = [part.strip() for part in tests.split("&&")]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert run == "python -m pytest -q" and "\npython -m pytest -q\n" in ci
    assert install[-1] == "pip install -e '.[test]' -e plugins/piikit-consistency"
    assert "pip install -q -e '.[test]' -e plugins/piikit-consistency" in ci


def _table_rows(text: str, after: str) -> dict[str, list[str]]:
    block = text.split(after, 1)[1]
    rows: dict[str, list[str]] = {}
    for line in block.splitlines():
        if not line.startswith("|"):
            if rows:
                break
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if not set(cells[0]) <= set("-: ") and cells[0] != "system":
            rows[cells[0]] = cells[1:]
    return rows


def test_readme_costs_are_those_of_the_multilingual_page():
    readme = _table_rows(README.read_text(encoding="utf-8"), "## Costs, side by side")
    measured = _table_rows((DOCS / "multilingual.md").read_text(encoding="utf-8"), "## Costs")
    same_row = {name: name for name in ("crf (default)", "`experiment=best` (e5 tagger, crf + e5_clusters)",
                                        "e5 tagger (`experiment=e5`)", "Presidio + spaCy sm")}
    assert set(readme) == set(same_row)
    for ours, theirs in same_row.items():
        assert readme[ours][:2] == measured[theirs][:2], ours  # train time, peak memory
        if "not measured" not in readme[ours][2]:
            assert readme[ours][2] == measured[theirs][2], ours  # masking speed on long documents


# --------------------------------------------------------------------------- commands in the docs
SUBCOMMANDS = {"plugins", "report"}


def _piikit_commands() -> list[tuple[str, list[str]]]:
    """(where, overrides) of every `piikit ...` line in a bash block that composes a config
    without extra inputs: no flags (-m, --cfg), subcommands, placeholders or shell variables."""
    found = []
    for path in [README, *sorted(DOCS.rglob("*.md"))]:
        text = path.read_text(encoding="utf-8")
        for block in re.findall(r"```bash\n(.*?)```", text, re.S):
            for line in block.replace("\\\n", " ").splitlines():
                line = line.strip()
                if not line.startswith("piikit "):
                    continue
                args = shlex.split(line, comments=True)[1:]
                if not args or args[0] in SUBCOMMANDS or any(
                    a.startswith("-") or a.startswith(("rerun=", "hydra")) or re.search(r"[<$…]|\.\.\.", a) for a in args
                ):
                    continue
                if all(args != seen for _, seen in found):
                    found.append((f"{path.relative_to(ROOT)}: {line}", args))
    return found


COMMANDS = _piikit_commands()
# shown in the docs but broken: strict, so the test fails once the command works and its entry
# must go (empty: every command composes)
BROKEN: dict[tuple[str, ...], str] = {}


def test_docs_show_commands_to_check():
    assert len(COMMANDS) >= 40


@pytest.mark.parametrize("where, args", [
    pytest.param(w, a, marks=pytest.mark.xfail(strict=True, reason=BROKEN[tuple(a)])) if tuple(a) in BROKEN else (w, a)
    for w, a in COMMANDS], ids=[w for w, _ in COMMANDS])
def test_docs_command_composes(compose, where, args):
    cfg = compose(args)  # unknown keys, wrong types, bad values: an error here
    for arg in args:
        group, _, option = arg.partition("=")
        if group in ("dataset", "prompt", "split", "tuner", "eval_dataset"):
            assert getattr(cfg, group).name == option, where
