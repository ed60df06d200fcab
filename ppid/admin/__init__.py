"""The PPID's admin screens, one module per concern; ``ppid.wagtail_hooks`` imports each."""
