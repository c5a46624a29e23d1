"""Read IATI 2.0x activity files into mali_aid records.

:func:`read_activities` turns each ``iati-activity`` of one file, a list
of files or a directory of them (each streamed) into an
:class:`~mali_aid.Engagement`, with the organisations, sectors and places it
refers to and a :class:`~mali_aid.Source` for the file, and lists in
``unmapped`` every element and attribute it did not map, so that nothing is
dropped without a word. The result becomes a :class:`~mali_aid.Dataset` with
:meth:`IatiActivities.dataset`, on its own or added to another dataset such
as the bundled one.

The file is parsed with :mod:`defusedxml`: a document type declaration, an
entity declaration or an external reference is refused, and so is XML that
is not well formed, each with a :class:`~mali_aid.errors.DataError` naming
the file. Any error anywhere in the file raises; nothing is half loaded.

>>> import io
>>> from mali_aid import iati
>>> xml = b'''
... <iati-activities version="2.03">
...  <iati-activity default-currency="EUR" xml:lang="en">
...   <iati-identifier>XM-EXAMPLE-1</iati-identifier>
...   <title><narrative>Water for Sikasso</narrative></title>
...   <recipient-country code="ML"/>
...   <budget type="1">
...    <period-start iso-date="2024-01-01"/>
...    <period-end iso-date="2024-12-31"/>
...    <value value-date="2024-01-01">250000</value>
...   </budget>
...  </iati-activity>
... </iati-activities>'''
>>> activities = iati.read_activities(io.BytesIO(xml))
>>> engagement = activities.engagements[0]
>>> engagement.id, engagement.title
('XM-EXAMPLE-1', 'Water for Sikasso')
>>> engagement.amounts[0].money, str(engagement.amounts[0].period)
(Money('250000', 'EUR'), '2024-01-01/2024-12-31')
>>> [share.place for share in engagement.places]
['ML']
>>> activities.unmapped
()

See ``docs/iati.md`` for what is mapped to what.
"""

from ._parquet import write_years
from ._results import IatiActivities, Skipped, Unmapped
from ._xml import (
    MAX_ACTIVITY_ELEMENTS,
    MAX_ATTRIBUTE,
    MAX_DEPTH,
    MAX_NAME,
    MAX_TEXT,
    read_activities,
)

__all__ = [
    "MAX_ACTIVITY_ELEMENTS",
    "MAX_ATTRIBUTE",
    "MAX_DEPTH",
    "MAX_NAME",
    "MAX_TEXT",
    "IatiActivities",
    "Skipped",
    "Unmapped",
    "read_activities",
    "write_years",
]
