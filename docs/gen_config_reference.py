"""Write docs/reference/config.md: every config group, every option, every setting with its
default and its help, from the config dataclasses and the YAML files under piikit/conf/.

    python docs/gen_config_reference.py            # rewrite docs/reference/config.md
    python docs/gen_config_reference.py --check    # exit 1 when the committed page is stale

Defaults are what Hydra composes for ``<group>=<option>`` (the dataclass default, unless the
option's YAML sets another value), so a key need not be written in YAML to be documented.
Help comes from the dataclass field's comment (on its line, or the comment lines just above it)
and from the YAML key's comment, both when they differ. Only built-in options are listed (not
those of installed plugins), so the page is the same on every machine.
"""

from __future__ import annotations

import ast
import json
import dataclasses
import inspect
import io
import re
import sys
import textwrap
import tokenize
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "reference" / "config.md"
BUILTIN = "piikit.builtin"
# options that need a value the user must give before they compose
REQUIRED = {("dataset", "local"): ["dataset.path=???"], ("eval_dataset", "local"): ["eval_dataset.path=???"]}
# group -> (what it is, where its settings live in the composed config)
GROUPS = {
    "dataset": ("where the rows come from (`prepare`)", "dataset"),
    "prompt": ("how each input is wrapped for a generative model", "prompt"),
    "split": ("how rows become train and test", "split"),
    "tuner": ("what learns to mask (`tune`)", "tuner"),
    "evaluator": ("which evaluators score the predictions (sets `evaluate.evaluators`)", "evaluate"),
    "eval_dataset": ("a second dataset masked whole by the run's model and scored", "eval_dataset"),
    "label_map": ("the eval dataset's label scheme (sets `evaluate.eval_label_map`)", "evaluate.eval_label_map"),
    "mask": ("the `mask` stage: anonymise your own corpus", "mask"),
    "experiment": ("presets that override any of the above", None),
}


# --------------------------------------------------------------------------- comments
def _clean(lines: list[str]) -> str:
    text = " ".join(s.strip().lstrip("#").strip() for s in lines if s.strip().lstrip("#").strip())
    return re.sub(r"\s+", " ", text)


@lru_cache(maxsize=None)
def class_comments(cls: type) -> dict[str, str]:
    """field name -> its comment in the class body (trailing, or the comment lines just above)."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return {}
    lines = source.splitlines()
    trailing = {tok.start[0]: tok.string for tok in tokenize.generate_tokens(io.StringIO(source).readline) if tok.type == tokenize.COMMENT}
    body = ast.parse(source).body[0].body
    out: dict[str, str] = {}
    for node in body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            above: list[str] = []
            i = node.lineno - 2
            while i >= 0 and lines[i].strip().startswith("#"):
                above.insert(0, lines[i])
                i -= 1
            same = [trailing[n] for n in range(node.lineno, node.end_lineno + 1) if n in trailing and not lines[n - 1].strip().startswith("#")]
            out[node.target.id] = _clean(above + same)
    return out


def field_comment(cls: type, name: str) -> str:
    for klass in cls.__mro__:
        if dataclasses.is_dataclass(klass) and name in getattr(klass, "__annotations__", {}):
            text = class_comments(klass).get(name, "")
            if text:
                return text
    return ""


def _split_comment(line: str) -> tuple[str, str]:
    """(code, comment) of a YAML line; a # inside quotes is not a comment."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i], line[i:]
    return line, ""


def yaml_comments(path: Path) -> tuple[str, dict[str, str]]:
    """(the file's header comment, dotted key -> its comment) of one YAML file under conf/."""
    header: list[str] = []
    comments: dict[str, list[str]] = {}
    stack: list[tuple[int, str]] = []  # (indent, key)
    pending: list[str] = []
    last = None
    started = False
    for raw in path.read_text(encoding="utf-8").splitlines():
        code, comment = _split_comment(raw)
        if not code.strip():
            if not comment:
                pending = []
                started = started or bool(header)
                continue
            if not started and not stack and last is None:
                if not comment.startswith("# @package"):
                    header.append(comment)
                continue
            if last is not None and raw.index("#") > 0 and comment.startswith("#   "):
                comments[last].append(comment)  # an indented continuation of the key above
            else:
                pending.append(comment)
            continue
        started = True
        m = re.match(r"^(\s*)([A-Za-z_][\w.]*)\s*:", code)
        if not m or code.lstrip().startswith("-"):
            last = None if not comment else last
            continue
        indent, key = len(m.group(1)), m.group(2)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        stack.append((indent, key))
        dotted = ".".join(k for _, k in stack)
        if comment.startswith("#   ") and last is not None:
            comments[last].append(comment)  # continues the previous key's comment
            comments.setdefault(dotted, [])
        else:
            comments[dotted] = pending + ([comment] if comment else [])
            last = dotted
        pending = []
    header_lines = [h[1:].rstrip() for h in header]  # "#   piikit ..." keeps its indent: a command
    return "\n".join(h for h in header_lines if h.strip()), {k: _clean(v) for k, v in comments.items() if k != "defaults"}


# --------------------------------------------------------------------------- composing
def compose(overrides: list[str]):
    from hydra import compose as hydra_compose
    from hydra import initialize_config_module

    with initialize_config_module(config_module="piikit.conf", version_base="1.3"):
        return hydra_compose(config_name="config", overrides=overrides)


def options(group: str) -> list[str]:
    from piikit import plugins

    names = {p.stem for p in (ROOT / "piikit" / "conf" / group).glob("*.yaml")}
    if group in ("dataset", "tuner", "eval_dataset"):
        kind = "dataset" if group == "eval_dataset" else group
        names |= {e.name for e in plugins.registry(kind).values() if e.source == BUILTIN}
    order = {"dataset": "synthetic", "tuner": "crf", "split": "head_tail", "prompt": "seed_article", "evaluator": "default",
             "eval_dataset": "none", "label_map": "none", "mask": "default"}
    first = order.get(group)
    return sorted(names, key=lambda n: (n != first, n))


def fmt(value) -> str:
    from omegaconf import DictConfig, ListConfig, OmegaConf

    if isinstance(value, (DictConfig, ListConfig)):
        value = OmegaConf.to_container(value, resolve=False)
    if value is None:
        text = "null"
    elif value is dataclasses.MISSING or value == "???":
        return "required"
    elif isinstance(value, bool):
        text = str(value).lower()
    elif isinstance(value, (list, tuple)):
        text = "[" + ", ".join(fmt_plain(v) for v in value) + "]"
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k}: {fmt_plain(v)}" for k, v in value.items()) + "}"
    elif isinstance(value, str) and "\n" in value:
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    return f"`{text}`"


def fmt_plain(value) -> str:
    return fmt(value).strip("`")


def _type(annotation: str) -> str:
    return annotation.replace("Optional[", "optional[").replace("typing.", "")


def rows(cls: type, node, yaml: dict[str, str], prefix: str = "", rel: str = "") -> list[tuple[str, str, str, str]]:
    """(key, type, default, help) for every field of a dataclass, nested dataclasses flattened;
    ``node`` is the composed config of that section as plain containers, interpolations unresolved."""
    out = []
    for f in dataclasses.fields(cls):
        key = f"{prefix}{f.name}"
        ftype = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
        sub = f.default_factory if f.default_factory is not dataclasses.MISSING else None
        if sub is not None and dataclasses.is_dataclass(sub):
            out += rows(sub, node[f.name], yaml, f"{key}.", f"{rel}{f.name}.")
            continue
        value = node.get(f.name)
        help_ = merge(field_comment(cls, f.name), str(f.metadata.get("help", "")), yaml.get(rel + f.name, ""))
        out.append((key, _type(ftype), fmt(value), help_))
    return out


def merge(*texts: str) -> str:
    """The help texts joined with " · ", leaving out any that another one already contains."""
    kept: list[str] = []
    for text in sorted((t for t in texts if t), key=len, reverse=True):
        if not any(_norm(text) in _norm(k) for k in kept):
            kept.append(text)
    return " · ".join(t for t in dict.fromkeys(texts) if t in kept)


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def table(items) -> list[str]:
    lines = ["| key | type | default | help |", "|---|---|---|---|"]
    for key, ftype, default, help_ in items:
        cells = [f"`{key}`", f"`{ftype}`", default, help_]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return lines


# --------------------------------------------------------------------------- the page
def render() -> str:
    from omegaconf import OmegaConf

    from piikit import plugins
    from piikit.config import Config, register_configs

    register_configs()
    conf = ROOT / "piikit" / "conf"
    top_header, top_yaml = yaml_comments(conf / "config.yaml")
    base = OmegaConf.to_container(compose([]), resolve=False)
    out = [
        "# Config reference",
        "",
        "<!-- generated by docs/gen_config_reference.py from piikit/config.py, the tuners' config",
        "     dataclasses and piikit/conf/; do not edit by hand: run `python docs/gen_config_reference.py` -->",
        "",
        "Every setting piikit reads, by config group. Pick an option with `piikit GROUP=OPTION`, set a",
        "key with `piikit GROUP.KEY=VALUE` (e.g. `piikit tuner=crf tuner.c1=0.1`); `piikit --cfg job` prints",
        "the composed config. *Default* is what that option composes to: the dataclass default, unless",
        "the option's YAML file sets another value. Types and unknown keys are checked before anything",
        "runs. See [Concepts](../concepts.md) for how the groups fit together.",
        "",
        "## Top level",
        "",
        "Keys outside any group (`piikit seed=1 stages=[prepare]`), and the `evaluate`, `report` and",
        "`sweep` sections every run has.",
        "",
    ]
    groups = {"evaluate", "report", "mask", "sweep"} | set(GROUPS)
    top = [f for f in dataclasses.fields(Config) if f.name not in groups]
    items = []
    for f in top:
        value = base.get(f.name)
        items.append((f.name, _type(f.type), fmt(value), merge(field_comment(Config, f.name), top_yaml.get(f.name, ""))))
    out += table(items) + [""]
    from piikit.config import EvaluateConfig, ReportConfig, SweepConfig

    for name, cls in (("evaluate", EvaluateConfig), ("report", ReportConfig), ("sweep", SweepConfig)):
        doc = inspect.getdoc(cls)
        out += [f"### `{name}`", ""] + ([doc.splitlines()[0].replace("``", "`"), ""] if doc and not doc.startswith(cls.__name__ + "(") else [])
        out += table(rows(cls, base[name], top_yaml, f"{name}.", f"{name}.")) + [""]

    for group, (what, where) in GROUPS.items():
        default = next((d for d in _defaults_list(conf / "config.yaml") if d[0] == group), (group, None))[1]
        out += [f"## `{group}`: {what}", ""]
        names = options(group)
        out += [f"Options: {', '.join(f'`{n}`' for n in names)}" + (f" (default: `{default}`)." if default else "."), ""]
        for option in names:
            path = conf / group / f"{option}.yaml"
            header, yaml = yaml_comments(path) if path.is_file() else ("", {})
            out += [f"### `{group}={option}`", ""]
            if group in ("dataset", "tuner") or (group == "eval_dataset" and option != "none"):
                entry = plugins.get("dataset" if group == "eval_dataset" else group, option)
                if entry.help:
                    out += [entry.help[0].upper() + entry.help[1:] + ".", ""]
            if header:
                out += [_header_text(header), ""]
            if group == "experiment":
                body = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
                out += ["```yaml", *body, "```", ""]
                continue
            cfg = compose([f"{group}={option}", *REQUIRED.get((group, option), [])])
            node = OmegaConf.to_container(OmegaConf.select(cfg, where), resolve=False)
            if group in ("evaluator", "label_map"):
                value = node
                if group == "evaluator":
                    out += [f"Sets `evaluate.evaluators` to {fmt(value['evaluators'])}.", ""]
                else:
                    pairs = ", ".join(f"`{k}`→`{v}`" for k, v in value.items())
                    out += [f"Sets `evaluate.eval_label_map` to {pairs or '`{}`'}.", ""]
                continue
            cls = _schema(group, option)
            out += table(rows(cls, node, yaml, f"{group}.")) + [""]
    return "\n".join(out).rstrip() + "\n"


def _header_text(header: str) -> str:
    """A YAML file's header comment: prose lines as paragraphs, indented lines (example commands)
    as code blocks, in the file's order."""
    blocks: list[tuple[bool, list[str]]] = []
    for line in header.splitlines():
        code = line.startswith("  ")
        if code and line.strip().startswith("piikit ") and "#" not in line:
            line = _comment_trailing_words(line)
        m = re.match(r"^\s*(.*?:)\s{2,}(\S.*)$", line)
        if m and not code:  # "Plan only (no API call):   piikit ...": a caption and its command
            blocks += [(False, [f"{m.group(1)} `{m.group(2).strip()}`"]), (False, [])]
            continue
        if not blocks or blocks[-1][0] != code:
            blocks.append((code, []))
        blocks[-1][1].append(line.strip() if code else line.strip())
    parts = ["```bash\n" + "\n".join(lines) + "\n```" if code else " ".join(lines) for code, lines in blocks if lines]
    return "\n\n".join(parts)


def _comment_trailing_words(line: str) -> str:
    """`piikit tuner=rules tuner.labels=[EMAIL,IBAN] only these`: the words after the last
    override are a description, so they become a shell comment (the block stays runnable)."""
    words = list(re.finditer(r"\S+", line))
    for m in words[2:]:
        if "=" not in m.group() and not m.group().startswith(("-", "'", '"')):
            return line[: m.start()] + "# " + line[m.start():]
    return line


def _defaults_list(path: Path) -> list[tuple[str, str]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\s*-\s*(\w+):\s*(\w+)", line)
        if m and m.group(1) != "override":
            out.append((m.group(1), m.group(2)))
    return out


def _schema(group: str, option: str) -> type:
    from piikit import plugins
    from piikit.config import MaskConfig, NoEvalDatasetConfig, PromptConfig, SplitConfig

    if group in ("dataset", "tuner"):
        return plugins.get(group, option).config
    if group == "eval_dataset":
        return NoEvalDatasetConfig if option == "none" else plugins.get("dataset", option).config
    return {"prompt": PromptConfig, "split": SplitConfig, "mask": MaskConfig}[group]


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if not OUT.is_file() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT.relative_to(ROOT)} is stale: run python docs/gen_config_reference.py", file=sys.stderr)
            return 1
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main(sys.argv[1:]))
