from tests.matrix import OFFICE_ONLY, PUBLIC, Row

ROWS = [
    Row("city:home", PUBLIC),
    Row("city:legal-notice", PUBLIC),
    Row("city:privacy", PUBLIC),
    Row("city:accessibility", PUBLIC),
    Row("city:theme-css", PUBLIC, browse=False),
    Row("city:backoffice", OFFICE_ONLY),
    Row("city:settings", OFFICE_ONLY),
]
