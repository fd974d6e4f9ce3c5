"""Task-list checkboxes as decoration for screen readers.

The lessons' self-check lists (`- [ ] …`) are meant to be printed and ticked
on paper; on screen their checkboxes are disabled and their text sits outside
the checkbox's label, so a screen reader would announce an unnamed, dead
control before every item. Hidden from assistive technology, each item reads
as the plain list item it is.
"""

from __future__ import annotations

import re

TASK_CHECKBOX = re.compile(r'(<label class="task-list-control"><input type="checkbox" disabled)(?=\s*/?>)')


def hide_decorative_checkboxes(html: str) -> str:
    return TASK_CHECKBOX.sub(r'\1 aria-hidden="true" tabindex="-1"', html)
