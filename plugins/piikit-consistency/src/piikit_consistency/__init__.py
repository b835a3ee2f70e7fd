"""piikit evaluator plugin: placeholder consistency within a document."""

from __future__ import annotations

import re

from piikit.hookspecs import hookimpl


class ConsistencyEvaluator:
    """A masked value is consistent when every occurrence of it in the source text is masked,
    always with the same label."""

    name = "consistency"

    def evaluate(self, rows, predictions, ctx):
        consistent = total = 0
        per_row = []
        for row, spans in zip(rows, ctx.pred):
            labels_by_value: dict[str, set[str]] = {}
            covered: dict[str, set[int]] = {}
            for s in spans:
                labels_by_value.setdefault(s.value, set()).add(s.label)
                covered.setdefault(s.value, set()).add(s.start)
            bad = []
            for value, labels in labels_by_value.items():
                pattern = r"(?<!\w)" + re.escape(value) + r"(?!\w)"
                starts = {m.start() for m in re.finditer(pattern, row.source_text)}
                ok = len(labels) == 1 and starts <= covered[value]
                consistent += ok
                total += 1
                if not ok:
                    bad.append(sorted(labels))
            per_row.append({"inconsistent": bad})
        return {
            "consistency_rate": consistent / total if total else 1.0,
            "inconsistent_values": total - consistent,
            "per_row": per_row,
        }


@hookimpl
def piikit_register_evaluators(register):
    register("consistency", ConsistencyEvaluator, help="same value masked with the same label everywhere in a document")
