from tests.matrix import OFFICE_ONLY, Row

ROWS = [Row("audit:entry-list", OFFICE_ONLY)]
