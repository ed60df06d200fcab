"""The SOP's admin screens, one module per area, each with the hooks that put it in Wagtail's admin.

``sop_workflow.wagtail_hooks`` imports them all; nothing else registers admin hooks.
"""
