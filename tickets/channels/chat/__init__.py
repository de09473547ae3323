"""Live chat: a chat is a Ticket with channel "chat"; its timeline is the transcript.

- `services`: a customer's line starts a chat (`ticket_create`) or continues it
  (`message_add`); an agent's line answers it; `chat_time_out` records that
  nobody picked a waiting chat up in time.
- `selectors`: the chats waiting for an agent, an agent's own chats, a
  customer's current chat.
- `tasks`: the beat task that times out chats nobody picked up within
  CHAT_PICKUP_TIMEOUT_SECONDS (default 120).

The websocket is `tickets.consumers.ChatConsumer` (`/ws/chat/`); lines reach
the chat's group from `tickets.realtime` after commit, whichever way they
were written (the chat socket, the agent's ticket page, the API).
"""
