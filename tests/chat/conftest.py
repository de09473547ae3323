"""Fixtures for chat, presence, SMS, phone and the customer timeline.

Websocket tests talk to the project's routing with Channels'
WebsocketCommunicator, against whatever channel layer and cache the
settings give (in-memory/locmem, or Redis with REDIS_URL).
"""

import asyncio
import copy
import socket
import threading
import time
import uuid

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.test import Client

from helpdesk.routing import websocket_urlpatterns
from tickets.channels.sms import backends as sms_backends

SMS_TOKEN = "sms-test-token"


@pytest.fixture(autouse=True)
def _own_cache_and_channel_layer(settings):
    """Each test gets its own cache keys and channel-layer names.

    Presence and SMS dedupe live in the cache, which with Redis outlives a test
    and may be shared with other test runs; channels_redis keeps asyncio locks
    that belong to the event loop that made them, and every async test has its
    own loop. Changing the settings makes Django and Channels build fresh ones.
    """
    tag = f"test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {
        alias: {**config, "KEY_PREFIX": tag} for alias, config in settings.CACHES.items()
    }
    layers = copy.deepcopy(settings.CHANNEL_LAYERS)
    for config in layers.values():
        if config["BACKEND"].startswith("channels_redis."):
            config.setdefault("CONFIG", {})["prefix"] = tag
    settings.CHANNEL_LAYERS = layers


@pytest_asyncio.fixture
async def settle():
    """For websocket tests: before the test's event loop closes, let the channel layer
    finish its background work and close the database connection that the consumers'
    worker thread opened (else it outlives the test database)."""
    yield
    cleaners = list(getattr(get_channel_layer(), "receive_cleaners", ()))
    if cleaners:
        await asyncio.gather(*cleaners, return_exceptions=True)
    await sync_to_async(connections.close_all)()


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    settings.SMS_BACKEND = "tickets.channels.sms.backends.LocmemBackend"
    settings.SMS_WEBHOOK_TOKEN = SMS_TOKEN
    sms_backends.outbox.clear()
    yield sms_backends.outbox
    sms_backends.outbox.clear()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def websocket(user, path: str) -> WebsocketCommunicator:
    """A socket on the project's websocket routes as `user` (what AuthMiddlewareStack sets)."""
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), path)
    communicator.scope["user"] = user
    return communicator


# --- a real ASGI server, for the browser ------------------------------------------------


@pytest.fixture
def asgi_server(transactional_db):
    """The project's ASGI application (HTTP, static files and websockets) served by
    uvicorn in a thread of this process, on the test database.

    In-process, so it shares the test database (SQLite's in-memory test database
    too) and, without Redis, the in-memory channel layer. Yields the base URL.
    """
    import uvicorn
    from channels.routing import ProtocolTypeRouter
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
    from django.core.asgi import get_asgi_application
    from django.db import connections

    from helpdesk.asgi import application

    app = ProtocolTypeRouter(
        {
            "http": ASGIStaticFilesHandler(get_asgi_application()),
            "websocket": application.application_mapping["websocket"],
        }
    )
    # Every request and consumer call runs in a worker thread with its own
    # connection: close each one when done, so none outlives the test database.
    database = connections["default"].settings_dict
    max_age = database.get("CONN_MAX_AGE", 0)
    database["CONN_MAX_AGE"] = 0

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_level="warning", ws="auto"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the ASGI test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    listener.close()
    database["CONN_MAX_AGE"] = max_age
