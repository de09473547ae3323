"""Phone: an agent logs a call on a ticket or as a new one.

A call is a `Message` with channel "phone" (its summary) plus a
"call.logged" event with the direction and duration. On an existing ticket
the summary is an internal note (the customer was on the line: nothing is
emailed); a call that opens a ticket is its first message, as the customer's
request. Both go through `tickets.services`.
"""
