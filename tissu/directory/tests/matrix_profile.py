"""An association's public profile: public (what each persona sees differs, see test_profile.py)."""

from conftest import ASSOCIATION_A_SLUG
from tests.matrix import PUBLIC, Row


def _association_a(personas):
    return {"args": [ASSOCIATION_A_SLUG]}


ROWS = [
    Row("directory:association-detail", PUBLIC, setup=_association_a),
]
