"""Sphinx extension: the student edition hides gated solutions completely.

sphinx-exercise's ``hide_solutions`` drops a ``{solution-start}`` directive but leaves everything
up to its ``{solution-end}`` (the solution's code cells and their outputs) in the page, and the
end marker makes the build fail with "unknown node type: solution_end_node". With this
extension, ``solution-start`` leaves a marker when solutions are hidden, and a transform that
runs before sphinx-exercise's own merge removes the marker, the content and the end marker.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx_exercise.directive import SolutionStartDirective
from sphinx_exercise.nodes import solution_end_node


class hidden_solution(nodes.Element):
    """Where a hidden gated solution starts; removed before anything is written."""


class SolutionStart(SolutionStartDirective):
    def run(self):
        result = super().run()  # keeps sphinx-exercise's bookkeeping of gated directives
        if self.env.app.config.hide_solutions:
            return [hidden_solution()]
        return result


class RemoveHiddenSolutions(SphinxTransform):
    default_priority = 9  # before sphinx-exercise's MergeGatedSolutions (10)

    def apply(self):
        for marker in list(self.document.findall(hidden_solution)):
            parent = marker.parent
            start = parent.index(marker)
            end = next(
                (i for i in range(start, len(parent.children)) if isinstance(parent.children[i], solution_end_node)),
                None,
            )
            stop = end + 1 if end is not None else start + 1
            for child in parent.children[start:stop]:
                parent.remove(child)


def setup(app):
    app.add_node(hidden_solution)
    app.add_directive("solution-start", SolutionStart, override=True)
    app.add_transform(RemoveHiddenSolutions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
