"""Browser test harness: a real `streamlit run` on a free port, driven by the system chromium.

The browser is Debian's /usr/bin/chromium through the Python playwright package (browser downloads
do not work here). Without chromium the tests skip, unless REQUIRE_BROWSER=1 (CI), where a missing
browser is a failure: a browser suite that silently skips proves nothing.
"""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync",
]
STARTUP_TIMEOUT_S = 120


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder `browser`, so `-m "not browser"` deselects them."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


def _browser_unavailable() -> str | None:
    if not CHROMIUM.exists():
        return f"chromium not found at {CHROMIUM}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return f"python playwright package missing: {exc}"
    return None


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[object]:
    """The playwright driver, or a skip (a failure under REQUIRE_BROWSER=1) when it cannot run."""
    reason = _browser_unavailable()
    if reason:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_app(store: Path | None, log_name: str) -> Iterator[str]:
    """Run the dashboard on a free port (cwd = repo root, so .streamlit/config.toml applies); yield its URL."""
    with streamlit_server(store, log_name) as (url, _):
        yield url


@contextlib.contextmanager
def streamlit_server(store: Path | None, log_name: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """`streamlit_app`, yielding the server's process too (the benchmark reads its memory)."""
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(REPO / "dashboard" / "app.py"),
           "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
           "--browser.gatherUsageStats", "false"]
    if store is not None:
        cmd += ["--", "--data", str(store)]
    ARTIFACTS.mkdir(exist_ok=True)
    with open(ARTIFACTS / f"{log_name}.server.log", "w") as log:
        # this checkout's packages, whatever checkout an editable install of the venv points at
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
        proc = subprocess.Popen(cmd, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_healthy(url, proc)
            yield url, proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def _wait_healthy(url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}; see {ARTIFACTS}")
        with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
            if resp.status == 200:
                return
        time.sleep(0.3)
    raise TimeoutError(f"streamlit did not become healthy at {url} in {STARTUP_TIMEOUT_S}s")


def _launch(pw) -> tuple[object, object, tempfile.TemporaryDirectory]:
    """A fresh chromium (own user-data dir: no shared cookies, storage or cache) and its page."""
    profile = tempfile.TemporaryDirectory(prefix="chromium-profile-")
    context = pw.chromium.launch_persistent_context(
        profile.name, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
        viewport={"width": 1400, "height": 1000},
    )
    page = context.pages[0] if context.pages else context.new_page()
    return context, page, profile


@contextlib.contextmanager
def browser_page(pw, screenshot: str) -> Iterator[object]:
    """A page in a fresh browser, screenshotted into test-artifacts/ when done, pass or fail."""
    context, page, profile = _launch(pw)
    try:
        yield page
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        with contextlib.suppress(Exception):
            page.screenshot(path=str(ARTIFACTS / f"{screenshot}.png"), full_page=True)
        context.close()
        profile.cleanup()


@pytest.fixture
def new_page(playwright_instance, request) -> Iterator[Callable[[], object]]:
    """Factory of pages, each in a fresh browser; screenshots are named after the test."""
    stack = contextlib.ExitStack()
    count = 0

    def make() -> object:
        nonlocal count
        count += 1
        suffix = f"-{count}" if count > 1 else ""
        return stack.enter_context(browser_page(playwright_instance, f"{request.node.name}{suffix}"))

    with stack:
        yield make


def build_store(inputs: list[Path], out: Path) -> Path:
    """An events store built by the project's own CLI, as a user would."""
    subprocess.run([sys.executable, "-m", "events", "build", *map(str, inputs), "--out", str(out)],
                   cwd=REPO, check=True, capture_output=True, text=True)
    return out


@pytest.fixture(scope="session")
def seeds_store(tmp_path_factory) -> Path:
    return build_store([REPO / "seeds"], tmp_path_factory.mktemp("seeds") / "events.parquet")


@pytest.fixture(scope="session")
def seeds_app(playwright_instance, seeds_store) -> Iterator[str]:
    """One dashboard server on the seeds store, shared by the tests that only read from it."""
    with streamlit_app(seeds_store, "seeds") as url:
        yield url
