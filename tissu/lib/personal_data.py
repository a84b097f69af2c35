"""Registry of the personal data each app holds about a user.

Each app registers, in its AppConfig.ready(), a provider with two functions:
``export(user) -> dict`` (for "download my data") and ``erase(user) -> None``
(called inside the account-deletion transaction: delete what may go, anonymise
what records must keep). The accounts app calls every provider, so a new module
cannot forget its share of the GDPR duties without its tests noticing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Provider:
    key: str
    export: Callable[[Any], dict | list]
    erase: Callable[[Any], None]


_providers: dict[str, Provider] = {}


def register(*, key: str, export: Callable[[Any], dict | list], erase: Callable[[Any], None]) -> None:
    _providers[key] = Provider(key=key, export=export, erase=erase)


def providers() -> list[Provider]:
    return [_providers[key] for key in sorted(_providers)]
