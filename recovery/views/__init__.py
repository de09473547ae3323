"""Service recovery's pages. Views parse, call a selector or a service, render.

- `pages`: the manager dashboard, the recovery queue, the case page and its forms;
- `panel`: the recovery panel on the agent ticket page and what it posts;
- `manage`: managers' pages for detector thresholds, playbooks and root causes.
"""
