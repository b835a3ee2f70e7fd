"""What the cloud tuners (``gemini``, ``vertex``) share beyond the generation layer.

- :func:`training_pairs` + :func:`raise_if_problems`: the preflight of the prepared train rows
  (prompt and masked output per row; every row breaking a limit named in one line);
- :func:`job_from_path`: ``tuner.resume=<run dir | job.json>`` resolution;
- :func:`scrub`: API messages as one line, without secrets;
- :func:`call_or_fail`: a control-plane call with the tuner's retry policy, whose final
  failure is one :class:`PiikitError` line;
- :func:`adc_credentials`: Application Default Credentials, or one line saying how to get them.

Only light imports at the top: this module is imported while building ``piikit --help``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from piikit.data.schema import Row, mask_text
from piikit.errors import PiikitError
from piikit.io import read_json
from piikit.tuners.generation import Classify, RetryPolicy, call_with_retries


def training_pairs(train: Sequence[Row]) -> list[tuple[str, str, str]]:
    """``(id, prompt, masked output)`` per train row; missing values become ``""``."""
    out = []
    for row in train:
        output = row.target_text if row.target_text is not None else mask_text(row.source_text, row.privacy_mask)
        out.append((row.id, row.prompt or "", output or ""))
    return out


def raise_if_problems(problems: list[str], what: str, hint: str) -> None:
    """``problems`` are ``"<row id> (<why>)"``; none → nothing, else one line naming up to ten."""
    if not problems:
        return
    shown = ", ".join(problems[:10]) + (f", … ({len(problems) - 10} more)" if len(problems) > 10 else "")
    raise PiikitError(f"{len(problems)} training example(s) {what}: {shown}", hint)


def job_from_path(value: str, key: str, what: str) -> dict[str, Any] | None:
    """``tuner.resume=<value>`` as a path: ``<value>/tune/job.json``, ``<value>/job.json`` or the
    file itself, which must name ``job[key]``. ``None`` when ``value`` is no such path (then it is
    the job's own name); an existing path without a job file is a mistake."""
    path = Path(value).expanduser()
    for candidate in (path / "tune" / "job.json", path / "job.json", path):
        if candidate.is_file():
            job = read_json(candidate)
            if not job.get(key):
                raise PiikitError(f"{candidate} names no {what}", "point tuner.resume at a run dir with tune/job.json")
            return {**job, "resumed_from": str(candidate)}
    if path.exists():
        raise PiikitError(f"tuner.resume={value}: no tune/job.json there", f"give the run dir of an earlier run, or a {what}")
    return None


def scrub(text: Any, secrets: Iterable[str | None] = ()) -> str:
    """One line, without the ``METHOD url:`` prefix some SDKs put first, never with a secret."""
    text = re.sub(r"^(GET|POST|PUT|PATCH|DELETE) \S+: ", "", " ".join(str(text).split()))
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def call_or_fail(what: str, fn: Callable[[], Any], classify: Classify, retry: RetryPolicy) -> Any:
    """``fn()`` retried on retryable failures; a final failure is one line: ``<what> failed: ...``.
    ``classify`` may itself raise :class:`PiikitError` (bad credentials, unknown job)."""
    try:
        return call_with_retries(fn, classify, retry)
    except PiikitError:
        raise
    except Exception as e:  # noqa: BLE001
        failure = classify(e)
        if failure is None:
            raise
        raise PiikitError(f"{what} failed: {failure.kind}: {failure.message}") from None


def adc_credentials(scopes: Sequence[str], missing: str, hint: str):
    """``google.auth.default(scopes)``; no credentials → one line (``missing``, ``hint``)."""
    import google.auth
    from google.auth.exceptions import DefaultCredentialsError

    try:
        credentials, _project = google.auth.default(scopes=list(scopes))
    except DefaultCredentialsError:
        raise PiikitError(missing, hint) from None
    return credentials
