import pytest

pytest.importorskip("piikit_consistency", reason="not installed: pip install -e plugins/piikit-consistency (.ci/run does)")
