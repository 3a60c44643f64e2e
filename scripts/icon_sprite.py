"""Make static/vendor/bootstrap-icons/icons.svg: the symbols of Bootstrap Icons that
the templates name with `{% icon "…" %}`, taken from the package's full sprite.

    npm pack bootstrap-icons@1.13.2 && tar xzf bootstrap-icons-1.13.2.tgz
    python scripts/icon_sprite.py package/bootstrap-icons.svg
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPRITE = ROOT / "static" / "vendor" / "bootstrap-icons" / "icons.svg"
ICON_TAG = re.compile(r"""{%\s*icon\s+["']([a-z0-9-]+)["']""")
SYMBOL = re.compile(r'<symbol [^>]*id="([a-z0-9-]+)"[^>]*>.*?</symbol>', re.DOTALL)


def names_used():
    """Every icon a template names, in the order of their names."""
    return sorted(
        {
            name
            for path in ROOT.glob("templates/**/*.html")
            for name in ICON_TAG.findall(path.read_text())
        }
    )


def main(full_sprite):
    symbols = {match[1]: match[0] for match in SYMBOL.finditer(Path(full_sprite).read_text())}
    missing = [name for name in names_used() if name not in symbols]
    if missing:
        sys.exit(f"Not in Bootstrap Icons: {', '.join(missing)}")
    body = "\n".join(re.sub(r' class="[^"]*"', "", symbols[name]) for name in names_used())
    SPRITE.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg">\n'
        "<!-- Bootstrap Icons v1.13.2, MIT licence (LICENSE): the icons the templates use. -->\n"
        f"{body}\n</svg>\n"
    )
    print(f"{len(names_used())} icons, {SPRITE.stat().st_size:,} bytes: {SPRITE.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1])
