"""The directory's rows of the authorisation matrix, one list per feature (tests/matrix_*.py)."""

from tissu.directory.tests import (
    matrix_claims,
    matrix_imports,
    matrix_manage,
    matrix_opendata,
    matrix_profile,
    matrix_search,
    matrix_staff,
)

ROWS = [
    *matrix_search.ROWS,
    *matrix_profile.ROWS,
    *matrix_claims.ROWS,
    *matrix_manage.ROWS,
    *matrix_staff.ROWS,
    *matrix_imports.ROWS,
    *matrix_opendata.ROWS,
]
