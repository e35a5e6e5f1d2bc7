"""The channel layer chosen from AIRCOP_REDIS_URL carries messages between consumers:
in-memory on the embedded default, Redis pub/sub when the variable is set (CI)."""

import os
import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings


def test_layer_matches_configuration():
    backend = settings.CHANNEL_LAYERS["default"]["BACKEND"]
    if os.environ.get("AIRCOP_REDIS_URL"):
        assert backend == "channels_redis.pubsub.RedisPubSubChannelLayer"
        assert settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"] == [os.environ["AIRCOP_REDIS_URL"]]
    else:
        assert backend == "channels.layers.InMemoryChannelLayer"


def test_group_message_round_trip():
    layer = get_channel_layer()

    async def scenario():
        channel = await layer.new_channel()
        group = f"test-{uuid.uuid4().hex[:8]}"
        await layer.group_add(group, channel)
        await layer.group_send(group, {"type": "test.message", "text": "alert 1"})
        received = await layer.receive(channel)
        await layer.group_discard(group, channel)
        return received

    assert async_to_sync(scenario)() == {"type": "test.message", "text": "alert 1"}


@pytest.mark.skipif(not os.environ.get("AIRCOP_REDIS_URL"), reason="needs AIRCOP_REDIS_URL (runs in CI)")
def test_redis_is_really_used():
    import redis

    client = redis.Redis.from_url(os.environ["AIRCOP_REDIS_URL"])
    assert client.ping()
