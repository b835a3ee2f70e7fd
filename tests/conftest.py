"""Shared fixtures: compose configs with Hydra's compose API, run the CLI as a subprocess."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from run_dirs import only_run_dir, run_cli  # noqa: F401 - also importable from here, as before


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Every test gets its own cache dir so runs never share state by accident."""
    monkeypatch.setenv("PIIKIT_CACHE", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("PIIKIT_PROGRESS", "0")


@pytest.fixture
def compose():
    """compose(["tuner=identity", ...]) -> typed Config (dataclasses), validated like the CLI."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_module
    from omegaconf import OmegaConf

    from piikit.config import register_configs

    register_configs()

    def _compose(overrides: list[str] | None = None, typed: bool = True):
        with initialize_config_module(config_module="piikit.conf", version_base="1.3"):
            cfg = hydra_compose(config_name="config", overrides=list(overrides or []))
        return OmegaConf.to_object(cfg) if typed else cfg

    return _compose


@pytest.fixture
def cli(tmp_path):
    """cli("tuner=identity", ...) runs piikit in a scratch dir; returns CompletedProcess."""

    def _cli(*args: str, env: dict | None = None, cwd: Path | None = None, timeout: float = 300):
        return run_cli(list(args), cwd or tmp_path, env=env, timeout=timeout)

    return _cli


@pytest.fixture
def genai_server(monkeypatch):
    """A local fake of the Generative Language API (tests/fakes/genai_server.py), with
    GOOGLE_API_KEY set to the key it expects. ``genai_server.endpoint`` is its base URL."""
    import secrets

    from fakes.genai_server import FakeGenAI

    key = f"AIzaFAKE-{secrets.token_hex(12)}"
    monkeypatch.setenv("GOOGLE_API_KEY", key)
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)
    with FakeGenAI(api_key=key) as fake:
        yield fake


@pytest.fixture(scope="session")
def service_account_pem() -> str:
    """A throwaway RSA key (made once per session) for service-account key files in tests."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()


@pytest.fixture
def gcs_emulator(monkeypatch):
    """The real ``gcp-storage-emulator`` (in memory, random port, bucket ``piikit-test``);
    STORAGE_EMULATOR_HOST points google-cloud-storage at it. Yields its base URL."""
    from gcp_storage_emulator.server import create_server

    server = create_server("127.0.0.1", 0, in_memory=True, default_bucket="piikit-test")
    server.start()
    host, port = server._api._httpd.server_address[:2]
    url = f"http://{host}:{port}"
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", url)
    try:
        yield url
    finally:
        server.stop()


@pytest.fixture
def vertex_server(monkeypatch, tmp_path, gcs_emulator, service_account_pem):
    """A local fake of Vertex AI (tests/fakes/vertex_server.py) reading datasets from the GCS
    emulator, and Application Default Credentials from a throwaway service-account key whose
    token endpoint is the fake. ``vertex_server.endpoint`` is its base URL."""
    import json

    from fakes.vertex_server import FakeVertex

    for var in ("GOOGLE_API_KEY", "GEMINI_API_KEY", "GOOGLE_CLOUD_PROJECT", "GOOGLE_CLOUD_LOCATION",
                "GOOGLE_GENAI_USE_VERTEXAI", "GOOGLE_GENAI_USE_ENTERPRISE"):
        monkeypatch.delenv(var, raising=False)
    with FakeVertex(project="fake-project", location="us-central1", gcs_endpoint=gcs_emulator) as fake:
        key_file = tmp_path / "service-account.json"
        key_file.write_text(json.dumps({
            "type": "service_account", "project_id": "fake-project", "private_key_id": "k1", "private_key": service_account_pem,
            "client_email": "piikit@fake-project.iam.gserviceaccount.com", "client_id": "1", "token_uri": f"{fake.endpoint}/token"}))
        monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
        fake.key_file = key_file
        fake.pem = service_account_pem
        yield fake


# Property tests draw the same examples on every run (CI included): a failure is reproducible,
# never a matter of luck. Set HYPOTHESIS_PROFILE=explore locally to search new examples.
from hypothesis import settings as _hsettings  # noqa: E402

_hsettings.register_profile("default", derandomize=True, print_blob=True)
_hsettings.register_profile("explore", derandomize=False, print_blob=True)
_hsettings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
