"""Registries refuse two entries under one name, naming both sources."""

from __future__ import annotations

import textwrap

import pytest

from piikit import plugins
from piikit.errors import PiikitError
from piikit.hookspecs import hookimpl


class _Shadow:
    """A plugin that registers a tuner named like the built-in CRF."""

    @hookimpl
    def piikit_register_tuners(self, register):
        register("crf", None, "shadow:Tuner", help="not the built-in")


def test_a_plugin_reusing_a_builtin_name_is_an_error_naming_both_sources():
    pm = plugins.plugin_manager()
    pm.register(_Shadow(), name="shadow-plugin")
    plugins.registry.cache_clear()
    try:
        with pytest.raises(PiikitError) as e:
            plugins.registry("tuner")
        line = e.value.one_line()
        assert "two plugins register a tuner named 'crf'" in line
        assert "piikit.builtin" in line and "shadow-plugin" in line
        assert plugins.registry("evaluator")  # other kinds are unaffected
    finally:
        pm.unregister(name="shadow-plugin")
        plugins.registry.cache_clear()
    assert plugins.get("tuner", "crf").source == "piikit.builtin"


def test_cli_exits_2_with_one_line_when_an_installed_plugin_shadows_a_builtin(tmp_path, cli):
    """An entry-point plugin (found through its dist-info, as pip installs it) named like a built-in."""
    site = tmp_path / "site"
    (site / "shadow_crf-0.1.dist-info").mkdir(parents=True)
    (site / "shadow_crf-0.1.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: shadow-crf\nVersion: 0.1\n")
    (site / "shadow_crf-0.1.dist-info" / "entry_points.txt").write_text("[piikit]\nshadow = shadow_crf\n")
    (site / "shadow_crf.py").write_text(textwrap.dedent('''
        from piikit.hookspecs import hookimpl

        @hookimpl
        def piikit_register_tuners(register):
            register("crf", None, "shadow_crf:Tuner", help="shadows the built-in")
    '''))
    import os

    env = {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    for args in (["--cfg", "job"], ["plugins"]):  # a run, and the plugin listing
        r = cli(*args, env=env)
        assert r.returncode == 2, (args, r.stderr[-2000:])
        assert "two plugins register a tuner named 'crf': piikit.builtin and shadow" in r.stderr
        assert "Traceback" not in r.stderr
