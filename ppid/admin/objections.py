"""The objection register and the Atasan PPID's answers."""
