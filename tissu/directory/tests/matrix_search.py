"""The directory's list and map: public."""

from tests.matrix import PUBLIC, Row

ROWS = [
    Row("directory:association-list", PUBLIC),
    Row("directory:association-map", PUBLIC),
]
