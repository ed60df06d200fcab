"""The yearly report of the information service: figures, CSV/XLSX exports and chart."""
