from pathlib import Path

CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "site.css"


def test_stylesheet_blocks_are_balanced():
    """An unclosed @media block silently hides every later rule from phones (or from desktops)."""
    depth = 0
    for number, line in enumerate(CSS.read_text().splitlines(), 1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"extra closing brace on line {number}"
        if line.startswith("/* =="):
            assert depth == 0, f"section at line {number} starts inside an unclosed block"
    assert depth == 0
