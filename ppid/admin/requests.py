"""The desk's queue of information requests and the PPID's answers (extension, notice)."""
