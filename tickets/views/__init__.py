"""HTML views: the customer portal, the agent workspace and attachment downloads.

Views parse the request, call one selector or service, and render; access
checks live in `helpers`, the rules in `tickets.services`.
"""
