"""ops/services/seaweedfs.py: loopback only, free ports, clean stop (a real `weed mini`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ops.services.seaweedfs import S3Endpoint, find_weed

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.s3


def _listening(pid: int) -> list[tuple[str, int]]:
    """(address, port) of the TCP sockets ``pid`` listens on, from /proc."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = []
    for table, v6 in (("/proc/net/tcp", False), ("/proc/net/tcp6", True)):
        for line in Path(table).read_text().splitlines()[1:]:
            cols = line.split()
            local, state, inode = cols[1], cols[3], cols[9]
            if state != "0A" or inode not in inodes:  # 0A = LISTEN
                continue
            addr_hex, port_hex = local.split(":")
            if v6:
                addr = "::1" if addr_hex == "00000000000000000000000001000000" else addr_hex
            else:
                addr = ".".join(str(int(addr_hex[i : i + 2], 16)) for i in (6, 4, 2, 0))
            found.append((addr, int(port_hex, 16)))
    return found


def test_gateway_listens_on_loopback_only(s3_endpoint: S3Endpoint) -> None:
    sockets = _listening(s3_endpoint.pid)
    assert sockets, "weed should listen on some ports"
    assert {addr for addr, _ in sockets} == {"127.0.0.1"}
    ports = {port for _, port in sockets}
    assert int(s3_endpoint.endpoint_url.rsplit(":", 1)[1]) in ports
    assert not ports & {8333, 9333, 8888, 9340, 8181, 9101, 23646, 7333}  # no default ports


@pytest.mark.slow
def test_cli_start_stop(tmp_path: Path) -> None:
    if find_weed() is None:
        pytest.skip("weed binary not found")
    script = ROOT / "ops" / "services" / "seaweedfs.py"
    d = tmp_path / "sw"
    out = subprocess.run(
        [sys.executable, str(script), "start", "--dir", str(d)],
        check=True, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    info = json.loads(out.stdout)
    pid = int(info["pid"])
    try:
        assert info["endpoint_url"].startswith("http://127.0.0.1:")
        assert Path(f"/proc/{pid}").exists()
        identities = json.loads((d / "s3.json").read_text())["identities"]
        assert identities[0]["credentials"][0]["accessKey"] == info["access_key"]
    finally:
        subprocess.run(
            [sys.executable, str(script), "stop", "--dir", str(d)], check=True, timeout=120
        )
    assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text()
    assert not (d / "seaweedfs.json").exists()
    assert list(d.glob("*.sock")) == []
    for port in info["grpc_ports"]:
        assert not list(Path("/tmp").glob(f"seaweedfs-*-grpc-{port}.sock"))
    # stopping again is harmless and says so
    again = subprocess.run([sys.executable, str(script), "stop", "--dir", str(d)], timeout=60)
    assert again.returncode == 1
