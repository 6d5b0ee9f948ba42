"""The test Redis is real: data written survives a restart through its AOF."""

from tests.redisserver import RedisServer


def test_a_restarted_server_keeps_what_was_written(tmp_path):
    server = RedisServer(tmp_path / "redis").start()
    try:
        server.client().rpush("queue", b"one", b"two")
        server.restart()
        assert server.client().lrange("queue", 0, -1) == [b"one", b"two"]
    finally:
        server.stop()
