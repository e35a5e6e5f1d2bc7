"""Reconciliation of open WebSockets with the database: one loop per server process.

Pushes through the channel layer are fast but not guaranteed (a Redis restart, a full
channel, a process that wrote an event without reaching the broker). Every
AIRCOP_WS_RECONCILE_SECONDS (10) the process's reconciler therefore compares what each of its
sockets holds with the database and sends what is missing, so that nothing is lost.

It does this for all sockets of the process at once, not socket by socket, so that its cost
grows with the number of distinct audiences (selectors.event_audience_key: the set of a
user's units), not with the number of sockets:

1. every CREDENTIAL_CHECK_EVERY-th round, one batch re-read of the sockets' users, tokens,
   sessions and memberships (accounts.selectors.open_credentials); a socket whose
   credentials no longer hold is closed, one whose units changed is moved between groups;
2. the newest event id N (events commit in id order, so every id up to N is final);
3. per audience key, one query for the ids of the events visible to it between the lowest
   cursor of its sockets and N, through the visibility helper;
4. per socket, the ids it lacks (normally none: the pushes brought them) are read, rendered
   with the socket's own user, and sent; then its cursor moves to N.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict

from django.conf import settings

from aircop.messaging import delivery, selectors

log = logging.getLogger("aircop.messaging.reconcile")

# Credentials and memberships are re-read every this many rounds.
CREDENTIAL_CHECK_EVERY = 3


class Reconciler:
    """The sockets of one event loop (one server process) and the loop that reconciles them."""

    def __init__(self, database_sync_to_async):
        self.db = database_sync_to_async
        self.consumers: set = set()
        self.rounds = 0
        self.task: asyncio.Task | None = None

    def add(self, consumer) -> None:
        self.consumers.add(consumer)
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._run())

    def discard(self, consumer) -> None:
        self.consumers.discard(consumer)

    async def _run(self) -> None:
        while self.consumers:
            await asyncio.sleep(settings.AIRCOP_WS_RECONCILE_SECONDS)
            try:
                await self.round()
            except Exception:  # a database hiccup: try again next round
                log.exception("reconciliation round failed")

    async def round(self) -> None:
        consumers = list(self.consumers)
        if not consumers:
            return
        self.rounds += 1
        if self.rounds % CREDENTIAL_CHECK_EVERY == 0:
            consumers = await self.check_credentials(consumers)
        newest = await self.db(delivery.newest_event_id)()
        groups: dict[frozenset[int], list] = defaultdict(list)
        for consumer in consumers:
            if consumer.cursor.position < newest:
                groups[selectors.event_audience_key(consumer.user)].append(consumer)
        for members in groups.values():
            start = min(c.cursor.position for c in members)
            ids = await self.db(selectors.event_ids_after)(members[0].user, start, upto=newest)
            for consumer in members:
                if consumer in self.consumers:  # it may have gone while we waited
                    await consumer.fill(ids, newest)

    async def check_credentials(self, consumers: list) -> list:
        from aircop.accounts.selectors import open_credentials

        current = await self.db(open_credentials)(
            [c.user.pk for c in consumers],
            [c.token_id for c in consumers if c.token_id is not None],
            [c.session_key for c in consumers if c.session_key],
        )
        kept = []
        for consumer in consumers:
            user = current.users.get(consumer.user.pk)
            allowed = user is not None and (
                consumer.token_id in current.tokens
                if consumer.token_id is not None
                else consumer.session_key in current.sessions
            )
            if not allowed:
                self.discard(consumer)
                with contextlib.suppress(Exception):
                    await consumer.close(code=4401)
                continue
            await consumer.set_user(user)
            kept.append(consumer)
        return kept


_reconcilers: dict[int, Reconciler] = {}


def for_this_loop(database_sync_to_async) -> Reconciler:
    """The reconciler of the running event loop (tests may run several loops in one process)."""
    loop = asyncio.get_running_loop()
    reconciler = _reconcilers.get(id(loop))
    if reconciler is None or reconciler.loop is not loop:
        reconciler = Reconciler(database_sync_to_async)
        reconciler.loop = loop
        _reconcilers[id(loop)] = reconciler
    return reconciler
