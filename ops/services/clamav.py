"""A private clamd for development and tests, and a small test signature database.

The official ClamAV databases cannot be downloaded offline, so tests build their own: the EICAR
test string as an MD5 signature (``.hdb``) and as a hex body signature (``.ndb``). The daemon
runs with its own configuration (Unix socket in the given directory, that database, in the
foreground) and is ready when it answers PING.

    python ops/services/clamav.py start --dir D [--database DB] [--stream-max-length 100M]
    python ops/services/clamav.py stop --dir D

As a context manager::

    with ClamdService(work_dir, database_dir) as clamd:
        ... clamd.socket_path ...
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

# Split so that the source file itself does not trip a virus scanner.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
EICAR_MD5_SIGNATURE = "Luutru.Test.EICAR-MD5"
EICAR_HEX_SIGNATURE = "Luutru.Test.EICAR-Hex"


class ClamdStartError(RuntimeError):
    pass


def build_test_database(database_dir: Path, sample: bytes = EICAR) -> Path:
    """Write ``luutru-test.hdb`` and ``luutru-test.ndb`` recognising ``sample``."""
    database_dir.mkdir(parents=True, exist_ok=True)
    md5 = hashlib.md5(sample).hexdigest()
    (database_dir / "luutru-test.hdb").write_text(
        f"{md5}:{len(sample)}:{EICAR_MD5_SIGNATURE}\n", encoding="ascii"
    )
    # The hex signature matches the string anywhere in a file (target type 0 = any file),
    # so it also finds the sample embedded in a bigger file, where the MD5 signature cannot.
    (database_dir / "luutru-test.ndb").write_text(
        f"{EICAR_HEX_SIGNATURE}:0:*:{sample.hex()}\n", encoding="ascii"
    )
    return database_dir


def write_config(
    work_dir: Path, database_dir: Path, stream_max_length: str = "4000M"
) -> tuple[Path, Path]:
    """Write ``clamd.conf`` in ``work_dir``; return (config path, socket path)."""
    work_dir.mkdir(parents=True, exist_ok=True)
    tmp_dir = work_dir / "tmp"
    tmp_dir.mkdir(exist_ok=True)
    socket_path = work_dir / "clamd.sock"
    config = work_dir / "clamd.conf"
    config.write_text(
        "\n".join(
            [
                f"DatabaseDirectory {database_dir.resolve()}",
                f"LocalSocket {socket_path.resolve()}",
                f"TemporaryDirectory {tmp_dir.resolve()}",
                f"LogFile {(work_dir / 'clamd.log').resolve()}",
                "LogTime yes",
                "Foreground yes",
                f"StreamMaxLength {stream_max_length}",
                # Archival packages hold scans of hundreds of MB: scan them whole (clamd's
                # defaults stop at 100 MB, and an unscanned file is never taken as clean).
                f"MaxFileSize {stream_max_length}",
                f"MaxScanSize {stream_max_length}",
                "AlertExceedsMax yes",
                "",
            ]
        ),
        encoding="utf-8",
    )
    return config, socket_path


def ping(socket_path: Path, timeout: float = 2.0) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(str(socket_path))
            sock.sendall(b"zPING\0")
            return sock.recv(16).rstrip(b"\0") == b"PONG"
    except OSError:
        return False


class ClamdService:
    """Start clamd with its own config; stop it by its process id."""

    def __init__(
        self,
        work_dir: Path,
        database_dir: Path | None = None,
        *,
        stream_max_length: str = "4000M",
        clamd_path: str = "clamd",
        start_timeout: float = 60.0,
    ) -> None:
        self.work_dir = work_dir
        self.database_dir = database_dir or work_dir / "db"
        self.stream_max_length = stream_max_length
        self.clamd_path = clamd_path
        self.start_timeout = start_timeout
        self.socket_path = work_dir / "clamd.sock"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid_file(self) -> Path:
        return self.work_dir / "clamd.pid"

    def start(self) -> ClamdService:
        executable = shutil.which(self.clamd_path) or shutil.which(f"/usr/sbin/{self.clamd_path}")
        if executable is None:
            raise ClamdStartError(f"{self.clamd_path} is not installed")
        if not self.database_dir.exists():
            build_test_database(self.database_dir)
        config, self.socket_path = write_config(
            self.work_dir, self.database_dir, self.stream_max_length
        )
        with (self.work_dir / "clamd.out").open("ab") as output:
            self.process = subprocess.Popen(
                [executable, f"--config-file={config}"],
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.pid_file.write_text(str(self.process.pid), encoding="ascii")
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if ping(self.socket_path):
                return self
            if self.process.poll() is not None:
                log = (self.work_dir / "clamd.out").read_text(errors="replace")[-2000:]
                raise ClamdStartError(f"clamd exited with {self.process.returncode}: {log}")
            time.sleep(0.05)
        self.stop()
        raise ClamdStartError(f"clamd did not answer PING within {self.start_timeout} s")

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            self.process = None
        else:
            stop_by_pid_file(self.work_dir)
        self.pid_file.unlink(missing_ok=True)

    def __enter__(self) -> ClamdService:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def stop_by_pid_file(work_dir: Path, timeout: float = 15.0) -> bool:
    pid_file = work_dir / "clamd.pid"
    if not pid_file.exists():
        return False
    pid = int(pid_file.read_text(encoding="ascii").strip())
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pid_file.unlink(missing_ok=True)
        return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    pid_file.unlink(missing_ok=True)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run a private clamd for development and tests")
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("--dir", type=Path, required=True, help="work directory (socket, config)")
    parser.add_argument("--database", type=Path, help="signature database (default: test DB)")
    parser.add_argument("--stream-max-length", default="100M")
    args = parser.parse_args(argv)
    if args.action == "stop":
        stopped = stop_by_pid_file(args.dir)
        print("clamd stopped" if stopped else "clamd was not running")
        return 0
    service = ClamdService(
        args.dir, args.database, stream_max_length=args.stream_max_length
    ).start()
    # Leave the daemon running; ``stop`` finds it through the pid file.
    service.process = None
    print(f"clamd ready: socket {service.socket_path} (pid file {service.pid_file})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
