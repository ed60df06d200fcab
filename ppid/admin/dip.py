"""The overdue periodic DIP items: the dashboard panel for the responsible unit and the PPID."""
