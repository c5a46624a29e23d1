"""The timeline chart as users draw and save it, checked by ``mypy --strict``,
never run."""

from __future__ import annotations

from typing import assert_type

from matplotlib.figure import Figure

import mali_aid
from mali_aid import plot_timeline

data = mali_aid.load()

figure = plot_timeline(data)
assert_type(figure, Figure)
figure.savefig("timeline.svg")
luxembourg = plot_timeline(
    data, data.select(donor="LU"), overlaps=False, title="Luxembourg in Mali"
)
assert_type(luxembourg, Figure)
assert_type(plot_timeline(data, (e for e in data.engagements if e.amounts)), Figure)
assert_type(plot_timeline(data, None, title=None), Figure)

plot_timeline()  # type: ignore[call-arg]
plot_timeline(data, ["be-icp-2009-2014"])  # type: ignore[list-item]
plot_timeline(data, data.engagements, False)  # type: ignore[call-arg]
plot_timeline(data, title=2024)  # type: ignore[arg-type]
