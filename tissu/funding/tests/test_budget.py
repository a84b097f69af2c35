from decimal import Decimal

from tissu.funding import budget


def test_the_chart_of_accounts_puts_each_block_on_its_side():
    lines = budget.entry_lines()
    assert lines["604"].side == budget.CHARGES
    assert lines["excprev"].side == budget.CHARGES
    assert lines["864"].side == budget.USES_IN_KIND
    assert lines["74com"].side == budget.PRODUCTS
    assert lines["insufprevisionnel"].side == budget.PRODUCTS
    assert lines["870"].side == budget.SOURCES_IN_KIND
    # Headings group lines and carry no amount.
    assert "60" not in lines and "86" not in lines and "CHARGINDIRECT" not in lines


def test_a_balanced_budget_has_no_error():
    amounts = {
        "604": Decimal("100"),
        "74com": Decimal("60"),
        "756": Decimal("40"),
        "864": Decimal("5"),
        "870": Decimal("5"),
    }
    assert budget.balance_errors(amounts) == []


def test_it_reports_charges_and_products_that_differ():
    errors = budget.balance_errors({"604": Decimal("100"), "74com": Decimal("60")})
    assert len(errors) == 1 and "must be equal" in errors[0]


def test_it_reports_contributions_in_kind_that_differ():
    errors = budget.balance_errors({"864": Decimal("10"), "870": Decimal("4")})
    assert len(errors) == 1 and "(86" in errors[0]
