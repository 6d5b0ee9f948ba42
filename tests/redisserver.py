"""A real ``redis-server`` on 127.0.0.1 for the distributed-mode tests.

Each server gets a free port and a data folder of its own, with AOF on as README tells users
to run it, so a test can stop it and start it again on the same data (``restart``) the way
an operator's Redis comes back after a crash. Nothing is mocked: the tests talk to it with
the same client and scrapy-redis classes a deployment uses.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    """A TCP port nothing listens on now (the kernel's pick for an ephemeral bind)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """One ``redis-server`` process serving ``directory`` on ``port``."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.directory = directory
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url)

    def start(self) -> RedisServer:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1",
             "--dir", str(self.directory), "--appendonly", "yes", "--appendfsync", "everysec",
             "--save", "", "--daemonize", "no", "--logfile", str(self.directory / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if self.client().ping():
                    return self
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not answer on port {self.port}: "
                           f"{(self.directory / 'redis.log').read_text(errors='replace')[-2000:]}")

    def stop(self) -> None:
        """Stop as a crash would leave it only if ``kill``; by default a clean SHUTDOWN."""
        if self.process is None:
            return
        try:
            self.client().shutdown(nosave=True)
        except redis.ConnectionError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def kill(self) -> None:
        """SIGKILL: what the AOF's fsync policy has not written is lost, as in a crash."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def restart(self) -> RedisServer:
        self.stop()
        return self.start()


@pytest.fixture
def redis_server(tmp_path):
    """A fresh ``redis-server`` for one test; stopped after it, whatever happened."""
    server = RedisServer(tmp_path / "redis").start()
    try:
        yield server
    finally:
        server.stop()
