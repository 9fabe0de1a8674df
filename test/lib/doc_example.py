#!/usr/bin/python3
"""Writes a code example of a Markdown page to a file, so that tests compile
what the docs show.

usage: doc_example.py PAGE.md NAME OUT

The example is the first fenced code block after the line
`<!-- example: NAME ... -->`.
"""

import sys


def main():
    page, name, out = sys.argv[1:4]
    lines = open(page, encoding="utf-8").read().splitlines()
    marker = f"<!-- example: {name}"
    start = next((i for i, l in enumerate(lines) if l.startswith(marker)), None)
    if start is None:
        sys.exit(f"{page}: no '{marker}' marker")
    fence = next((i for i in range(start + 1, len(lines))
                  if lines[i].startswith("```")), None)
    if fence is None:
        sys.exit(f"{page}: no code block after '{marker}'")
    end = next((i for i in range(fence + 1, len(lines))
                if lines[i].startswith("```")), None)
    if end is None:
        sys.exit(f"{page}: the code block of '{name}' is not closed")
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines[fence + 1:end]) + "\n")


if __name__ == "__main__":
    main()
