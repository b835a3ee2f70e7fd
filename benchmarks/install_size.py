"""Benchmark: installed size of piikit's base dependency tree (pyproject ``dependencies``, no extras).

Walks the requirement closure through the installed distributions' metadata of the running
environment and sums their installed files. ``--add`` / ``--drop`` compare another set, e.g.
the tree before piikit depended on python-crfsuite directly:

    python benchmarks/install_size.py
    python benchmarks/install_size.py --drop python-crfsuite PyYAML --add sklearn-crfsuite

Prints the number of distributions, the total size and the largest ones. A package missing from
the environment is listed and counted as 0 bytes.
"""

from __future__ import annotations

import argparse
import importlib.metadata as md
import os
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _name(req: str) -> str:
    return re.split(r"[ ;<>=!~\[(]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _applies(req: str) -> bool:
    if ";" not in req:
        return True
    from packaging.markers import Marker

    marker = req.split(";", 1)[1]
    return "extra" not in marker and Marker(marker).evaluate()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--add", nargs="*", default=[], help="packages to add to the base requirements")
    ap.add_argument("--drop", nargs="*", default=[], help="packages to drop from the base requirements")
    args = ap.parse_args()
    base = [_name(r) for r in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]]
    drop = {_name(d) for d in args.drop}
    roots = [n for n in base if n not in drop] + [_name(a) for a in args.add]
    dists = {_name(d.metadata["Name"]): d for d in md.distributions()}
    seen: set[str] = set()
    missing: set[str] = set()
    stack = list(roots)
    while stack:
        n = stack.pop()
        if n in seen:
            continue
        if n not in dists:
            missing.add(n)
            continue
        seen.add(n)
        stack += [_name(r) for r in dists[n].requires or [] if _applies(r)]
    sizes = {}
    for n in seen:
        total = 0
        for f in dists[n].files or []:
            try:
                total += os.path.getsize(dists[n].locate_file(f))
            except OSError:
                pass
        sizes[n] = total
    print(f"{len(seen)} distributions, {sum(sizes.values()) / 1e6:.0f} MB installed (python {sys.version.split()[0]})")
    for n, s in sorted(sizes.items(), key=lambda kv: -kv[1])[:12]:
        print(f"  {n:<28} {s / 1e6:7.1f} MB")
    if missing:
        print("not installed here:", ", ".join(sorted(missing)))


if __name__ == "__main__":
    main()
