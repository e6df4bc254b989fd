"""The rows `components/figures_tables.html` shows, shared by the figures pages (enforcement's
执行质效, the disputes' 闭环时效): a figure's year and its months as text, each linking to
the list of what it counts; a month not begun has no value and no link."""

from collections.abc import Callable

MONTHS = tuple(range(1, 13))


def figure_text(figure, value) -> str:
    if value is None:
        return "—"
    if figure.kind == "money":
        return f"{value:,.2f}"
    if figure.kind == "rate":
        return f"{value}%"
    return str(value)


def figure_row(figure, list_url: Callable[[int | None], str]) -> dict:
    """`figure` has kind, value and months (12 values); `list_url(month)` is the drill-down's
    address for a month, or for the year with None."""
    return {
        "figure": figure,
        "text": figure_text(figure, figure.value),
        "url": list_url(None),
        "cells": [
            {
                "text": figure_text(figure, value),
                "url": list_url(month) if value is not None else "",
            }
            for month, value in zip(MONTHS, figure.months, strict=True)
        ],
    }
