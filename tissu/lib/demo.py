"""Shared state for the demo city: each app's demo.py adds its part through seed(ctx)."""

import random
from dataclasses import dataclass, field
from typing import Any

DEMO_PASSWORD = "tissu-demo-2026"


@dataclass
class DemoContext:
    """What each demo step may read and extend. The seeded random generator keeps output reproducible."""

    rng: random.Random = field(default_factory=lambda: random.Random(2026))
    users: dict[str, Any] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (persona, email, description)
