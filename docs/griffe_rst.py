"""Griffe extension of the qdlab docs: Sphinx markup in docstrings rendered as Markdown.

qdlab's docstrings are numpydoc with Sphinx roles (they also serve ``help()`` and the
doctests).  mkdocstrings renders docstrings as Markdown, so before they are parsed this
extension rewrites, in the text only (the source files are not touched):

- ``.. math::`` blocks -> ``$$ ... $$`` (pymdownx.arithmatex, MathJax);
- ``:math:`x``` -> ``$x$``;
- ``:func:`~a.b.c``` and the other cross-reference roles -> the code span ``c``
  (``a.b.c`` without the tilde).
"""

from __future__ import annotations

import re

import griffe

_ROLE = re.compile(r":(?:py:)?(?:func|class|mod|data|meth|attr|exc|obj|const):"
                   r"`(~?)([^`<]+?)(?:\s*<([^`>]+)>)?`")
_MATH_ROLE = re.compile(r":math:`([^`]+)`")
_MATH_BLOCK = re.compile(r"^(\s*)\.\. math::\s*(.*)$")


def _role(m: re.Match) -> str:
    tilde, text, target = m.group(1), m.group(2).strip(), m.group(3)
    if target:                         # :func:`text <target>`
        return f"`{text}`"
    return f"`{text.rsplit('.', 1)[-1] if tilde else text}`"


def _math_blocks(text: str) -> str:
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        m = _MATH_BLOCK.match(lines[i])
        if not m:
            out.append(lines[i])
            i += 1
            continue
        indent, inline = m.group(1), m.group(2)
        body = [inline] if inline else []
        i += 1
        while i < len(lines) and (not lines[i].strip()
                                  or len(lines[i]) - len(lines[i].lstrip()) > len(indent)):
            body.append(lines[i])
            i += 1
        trailing = 0
        while body and not body[-1].strip():
            body.pop()
            trailing += 1
        while body and not body[0].strip():
            body.pop(0)
        # an indent that is not a multiple of 4 (a block under an rst list item) would make
        # Markdown read the block as code: move it out to the enclosing level
        if len(indent) % 4:
            indent = " " * (4 * (len(indent) // 4))
        # LaTeX ignores indentation: flush every line to the directive's indent, so that
        # Markdown never reads a continuation line as an indented code block
        if out and out[-1].strip():
            out.append("")
        out.append(f"{indent}$$")
        out.extend(f"{indent}{b.strip()}" for b in body if b.strip())
        out.append(f"{indent}$$")
        out.extend([""] * max(trailing, 1))
    return "\n".join(out)


def rst_to_markdown(text: str) -> str:
    """Rewrite the Sphinx markup of one docstring as Markdown (see the module docstring)."""
    if ".. math::" in text:
        text = _math_blocks(text)
    text = _MATH_ROLE.sub(lambda m: f"${m.group(1).strip()}$", text)
    return _ROLE.sub(_role, text)


class SphinxMarkupToMarkdown(griffe.Extension):
    """Apply :func:`rst_to_markdown` to every docstring griffe loads."""

    def on_instance(self, *, obj, **kwargs) -> None:
        if obj.docstring is not None:
            obj.docstring.value = rst_to_markdown(obj.docstring.value)
