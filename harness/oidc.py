"""The City's sign-in in tests: start the local test OpenID Connect provider (harness/oidc/provider.mjs, a TEST
FIXTURE around the certified ``oidc-provider`` package, installed by ``scripts/setup.sh --dev``) and write the
secrets file that points the app's ``st.login`` at it. The client secret and the cookie secret are made up afresh
each time and written only into the test's temporary folder: no secret is in the repository."""

from __future__ import annotations

import os
import secrets
import subprocess
import time
from pathlib import Path

import requests

from harness.appserver import free_port, stop_app
from settings import REPO_ROOT

PROVIDER_DIR = REPO_ROOT / "harness" / "oidc"
STARTUP_SECONDS = 30


class ProviderDidNotStart(RuntimeError):
    """node is missing, the package is not installed, or the provider never answered; the message says which."""


def start_provider(workdir: Path, app_port: int) -> tuple[subprocess.Popen, dict]:
    """Start the provider for an app that will listen on ``app_port``; returns the process and the ``[auth]``
    settings of the app's secrets file (issuer metadata URL, client, fresh secrets)."""
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        raise ProviderDidNotStart("the test OIDC provider is not installed: run `make setup-dev` (npm ci)")
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    auth = {
        "redirect_uri": f"http://127.0.0.1:{app_port}/oauth2callback",
        "cookie_secret": secrets.token_urlsafe(32),
        "client_id": "equity-test-app",
        "client_secret": secrets.token_urlsafe(32),
        "server_metadata_url": f"{issuer}/.well-known/openid-configuration",
    }
    env = os.environ | {
        "OIDC_TEST_PORT": str(port), "OIDC_TEST_CLIENT_ID": auth["client_id"],
        "OIDC_TEST_CLIENT_SECRET": auth["client_secret"], "OIDC_TEST_REDIRECT_URI": auth["redirect_uri"],
    }  # fmt: skip
    log = workdir / "oidc-provider.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(["node", "provider.mjs"], cwd=PROVIDER_DIR, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ProviderDidNotStart(f"the test OIDC provider exited with {proc.returncode}:\n{log.read_text()}")
        try:
            if requests.get(auth["server_metadata_url"], timeout=2).ok:
                return proc, auth
        except requests.RequestException:
            pass
        time.sleep(0.1)
    stop_app(proc)
    raise ProviderDidNotStart(f"the test OIDC provider did not answer:\n{log.read_text()}")


def write_secrets(path: Path, auth: dict) -> Path:
    """A secrets file with only the ``[auth]`` section (TOML strings: the values are URL-safe characters)."""
    lines = ["[auth]", *(f'{name} = "{value}"' for name, value in auth.items())]
    path.write_text("\n".join(lines) + "\n")
    return path
