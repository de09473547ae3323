"""Websockets for agents: queue and ticket pages listen for changes."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from tickets.realtime import AGENTS_GROUP


class AgentConsumer(AsyncJsonWebsocketConsumer):
    """`/ws/agent/`: staff only. Forwards `ticket.changed` notices as JSON."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_agent:
            await self.close(code=4403)
            return
        await self.channel_layer.group_add(AGENTS_GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(AGENTS_GROUP, self.channel_name)

    async def ticket_changed(self, message: dict) -> None:
        await self.send_json(
            {"type": "ticket.changed", "ticket_id": message["ticket_id"], "event": message["event"]}
        )
