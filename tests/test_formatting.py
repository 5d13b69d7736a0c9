"""Tests for hallbardocs.formatting: Swedish dates, numbers, money, lists and sort order.

Expected strings are written out: ``\\xa0`` is the no-break space, ``\\u2212`` the minus sign.
"""

from __future__ import annotations

import doctest
import inspect
import timeit
from datetime import date, datetime
from decimal import Decimal

import pytest

import hallbardocs.formatting
from hallbardocs.formatting import (
    EMPTY,
    FILTERS,
    format_compact_list,
    format_date,
    format_date_range,
    format_integer,
    format_kronor,
    format_list,
    format_long_date,
    format_mdkr,
    format_mnkr,
    format_number,
    format_percent,
    format_range,
    format_tkr,
    format_year,
    sorted_swedish,
    swedish_sort_key,
)

# --- the docs cannot lie ---------------------------------------------------------------------


def test_the_doctests_in_the_module_pass() -> None:
    result = doctest.testmod(hallbardocs.formatting)
    assert result.attempted > 0
    assert result.failed == 0


def test_every_public_function_has_a_doctest_example() -> None:
    for name in hallbardocs.formatting.__all__:
        obj = getattr(hallbardocs.formatting, name)
        if inspect.isfunction(obj):
            assert ">>> " in (obj.__doc__ or ""), name


def test_all_lists_exactly_the_public_names() -> None:
    assert sorted(hallbardocs.formatting.__all__) == [
        "EMPTY",
        "FILTERS",
        "Number",
        "format_compact_list",
        "format_date",
        "format_date_range",
        "format_integer",
        "format_kronor",
        "format_list",
        "format_long_date",
        "format_mdkr",
        "format_mnkr",
        "format_number",
        "format_percent",
        "format_range",
        "format_tkr",
        "format_year",
        "sorted_swedish",
        "swedish_sort_key",
    ]
    for name in hallbardocs.formatting.__all__:
        assert hasattr(hallbardocs.formatting, name)
    undeclared = {
        name
        for name, obj in vars(hallbardocs.formatting).items()
        if not name.startswith("_")
        and inspect.isfunction(obj)
        and obj.__module__ == "hallbardocs.formatting"
    } - set(hallbardocs.formatting.__all__)
    assert undeclared == set()


# --- dates -----------------------------------------------------------------------------------


def test_a_short_date_is_iso_style() -> None:
    assert format_date(date(2023, 2, 24)) == "2023-02-24"
    assert format_date(date(2026, 1, 5)) == "2026-01-05"


def test_a_long_date_has_no_leading_zero_and_the_full_year() -> None:
    assert format_long_date(date(2023, 2, 24)) == "24 februari 2023"
    assert format_long_date(date(2026, 1, 5)) == "5 januari 2026"
    assert format_long_date(date(2030, 12, 31)) == "31 december 2030"


def test_a_missing_date_is_an_error_not_today() -> None:
    with pytest.raises(TypeError, match="expected a date"):
        format_date(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="expected a date"):
        format_long_date("2023-02-24")  # type: ignore[arg-type]


def test_a_datetime_is_formatted_as_its_date() -> None:
    assert format_date(datetime(2023, 2, 24, 23, 59)) == "2023-02-24"
    assert format_long_date(datetime(2023, 2, 24, 23, 59)) == "24 februari 2023"


# --- numbers ---------------------------------------------------------------------------------


def test_numbers_are_grouped_with_no_break_spaces_and_a_decimal_comma() -> None:
    assert format_number(1234.5) == "1\xa0234,5"
    assert format_number(71263221) == "71\xa0263\xa0221"
    assert format_number(999) == "999"
    assert format_number(3.5) == "3,5"


def test_negative_numbers_use_a_real_minus_sign() -> None:
    assert format_number(-3.2) == "\u22123,2"
    assert format_number(-1234.5) == "\u22121\xa0234,5"
    assert "-" not in format_number(-1)


def test_without_decimals_given_a_number_shows_up_to_three_decimals() -> None:
    assert format_number(1.5) == "1,5"
    assert format_number(1.25) == "1,25"
    assert format_number(1.2345) == "1,235"
    assert format_number(2.0) == "2"
    assert format_number(0.1 + 0.2) == "0,3"


def test_with_decimals_given_a_number_shows_exactly_that_many() -> None:
    assert format_number(3, decimals=1) == "3,0"
    assert format_number(1234.5, decimals=2) == "1\xa0234,50"
    assert format_number(1234.56, decimals=0) == "1\xa0235"


def test_rounding_is_half_away_from_zero_unlike_babels_half_even() -> None:
    assert format_number(0.125, decimals=2) == "0,13"
    assert format_number(2.675, decimals=2) == "2,68"  # the float's shortest repr, as Excel shows
    assert format_number(2.5, decimals=0) == "3"
    assert format_number(-2.5, decimals=0) == "\u22123"


def test_zero_is_plain_zero() -> None:
    assert format_number(0) == "0"
    assert format_number(0.0) == "0"
    assert format_number(0, decimals=1) == "0,0"


def test_a_negative_value_that_rounds_to_zero_has_no_minus_sign() -> None:
    assert format_number(-0.0) == "0"
    assert format_number(-0.04, decimals=1) == "0,0"
    assert format_number(Decimal("-0.0004")) == "0"
    assert format_number(Decimal("-0")) == "0"
    assert format_number(-1e-9) == "0"


def test_decimals_are_formatted_exactly() -> None:
    assert format_number(Decimal("1234.5678")) == "1\xa0234,568"
    assert format_number(Decimal("0.1"), decimals=1) == "0,1"
    assert format_number(Decimal("-450000.00")) == "\u2212450\xa0000"


def test_large_numbers_are_grouped_all_the_way() -> None:
    assert format_number(10**15) == "1\xa0000\xa0000\xa0000\xa0000\xa0000"
    # beyond the 28 digits of Decimal's default context, which babel would fail on
    assert format_number(Decimal("1e30"), decimals=2) == "1" + "\xa0000" * 10 + ",00"


def test_numbers_refuse_what_is_not_a_number() -> None:
    with pytest.raises(TypeError, match="bool"):
        format_number(True)
    with pytest.raises(TypeError, match="str"):
        format_number("12")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="finite"):
        format_number(float("nan"))
    with pytest.raises(ValueError, match="finite"):
        format_number(Decimal("Infinity"))
    with pytest.raises(ValueError, match="decimals"):
        format_number(1, decimals=-1)


def test_an_integer_is_rounded_and_grouped() -> None:
    assert format_integer(71263221) == "71\xa0263\xa0221"
    assert format_integer(-1200) == "\u22121\xa0200"
    assert format_integer(1234.5) == "1\xa0235"
    assert format_integer(Decimal("-0.4")) == "0"


def test_a_year_is_never_grouped() -> None:
    assert format_year(2030) == "2030"
    assert format_year(12345) == "12345"
    with pytest.raises(TypeError):
        format_year(2030.0)  # type: ignore[arg-type]


def test_a_percentage_has_a_no_break_space_before_the_sign() -> None:
    assert format_percent(0.45) == "45\xa0%"
    assert format_percent(0.125, decimals=1) == "12,5\xa0%"
    assert format_percent(1) == "100\xa0%"
    assert format_percent(12.5) == "1\xa0250\xa0%"
    assert format_percent(Decimal("0.21")) == "21\xa0%"


def test_a_negative_percentage_uses_a_real_minus_sign_but_never_minus_zero() -> None:
    assert format_percent(-0.032, decimals=1) == "\u22123,2\xa0%"
    assert format_percent(-0.004) == "0\xa0%"


# --- money -----------------------------------------------------------------------------------


def test_kronor_are_whole_unless_the_amount_has_ore() -> None:
    assert format_kronor(12500) == "12\xa0500\xa0kr"
    assert format_kronor(12500.0) == "12\xa0500\xa0kr"
    assert format_kronor(Decimal("12500.00")) == "12\xa0500\xa0kr"
    assert format_kronor(1234.5) == "1\xa0234,50\xa0kr"
    assert format_kronor(0.05) == "0,05\xa0kr"


def test_kronor_round_to_whole_ore() -> None:
    assert format_kronor(1234.499) == "1\xa0234,50\xa0kr"
    assert format_kronor(1234.004) == "1\xa0234\xa0kr"
    assert format_kronor(-0.004) == "0\xa0kr"


def test_negative_kronor_use_a_real_minus_sign() -> None:
    assert format_kronor(-450000) == "\u2212450\xa0000\xa0kr"


def test_tkr_mnkr_and_mdkr_scale_kronor_and_keep_one_decimal() -> None:
    assert format_tkr(12500) == "12,5\xa0tkr"
    assert format_mnkr(1_200_000) == "1,2\xa0mnkr"
    assert format_mdkr(3_400_000_000) == "3,4\xa0mdkr"


def test_tkr_mnkr_and_mdkr_keep_a_trailing_zero_decimal() -> None:
    assert format_tkr(2000) == "2,0\xa0tkr"
    assert format_mnkr(2_000_000) == "2,0\xa0mnkr"
    assert format_mdkr(0) == "0,0\xa0mdkr"


def test_tkr_mnkr_and_mdkr_take_a_number_of_decimals() -> None:
    assert format_tkr(1_234_567, decimals=0) == "1\xa0235\xa0tkr"
    assert format_mnkr(1_234_567, decimals=2) == "1,23\xa0mnkr"
    assert format_mnkr(Decimal("1250000"), decimals=1) == "1,3\xa0mnkr"  # half away from zero


def test_tkr_mnkr_and_mdkr_group_large_values() -> None:
    assert format_tkr(71_263_221_000) == "71\xa0263\xa0221,0\xa0tkr"


def test_negative_tkr_use_a_real_minus_sign_but_never_minus_zero() -> None:
    assert format_tkr(-12500) == "\u221212,5\xa0tkr"
    assert format_tkr(-40) == "0,0\xa0tkr"
    assert format_mnkr(-40_000) == "0,0\xa0mnkr"


# --- ranges and lists ------------------------------------------------------------------------


def test_a_range_has_an_en_dash_and_no_spaces() -> None:
    assert format_range("2023", "2030") == "2023\u20132030"
    assert format_range("50", "70\xa0%") == "50\u201370\xa0%"


def test_a_list_is_joined_with_commas_and_och() -> None:
    assert format_list(["A", "B", "C"]) == "A, B och C"
    assert format_list(["Miljö", "Teknik", "Kultur", "Skola"]) == "Miljö, Teknik, Kultur och Skola"
    assert format_list(["A", "B"]) == "A och B"
    assert format_list(["A"]) == "A"
    assert format_list([]) == ""


def test_names_holding_commas_are_kept_whole_by_semicolons() -> None:
    name = "Jämställdhet, jämlikhet och inkludering"
    assert format_list([name, "Res hållbart", "Ät hållbart"]) == f"{name}; Res hållbart och Ät hållbart"
    assert format_list(["Res hållbart", "Ät hållbart", name]) == f"Res hållbart; Ät hållbart; {name}"
    assert format_list([name, "Res hållbart"]) == f"{name}; Res hållbart"
    assert format_list(["Bygg och bo hållbart", "Klimat, energi", "Res hållbart"]) == (
        "Bygg och bo hållbart; Klimat, energi; Res hållbart"
    )
    assert format_list([name]) == name


def test_the_lista_filter_keeps_names_with_commas_whole() -> None:
    assert FILTERS["lista"](["9. Hållbar industri, innovationer och infrastruktur", "13. Bekämpa klimatförändringarna"]) == (
        "9. Hållbar industri, innovationer och infrastruktur; 13. Bekämpa klimatförändringarna"
    )


def test_a_compact_list_uses_commas_or_semicolons_and_no_och() -> None:
    assert format_compact_list(["1", "5", "7"]) == "1, 5, 7"
    assert format_compact_list(["2 ✔ Klar, godkänd", "1 ◐ Pågår"]) == "2 ✔ Klar, godkänd; 1 ◐ Pågår"
    assert format_compact_list([]) == ""


def test_a_list_accepts_a_tuple() -> None:
    assert format_list(("A", "B")) == "A och B"


# --- Swedish order ---------------------------------------------------------------------------

MUNICIPALITIES = [
    "Ödeshög",
    "Ystad",
    "Åre",
    "Ängelholm",
    "Västerås",
    "Wadköping",
    "Öckerö",
    "Eksjö",
    "Ale",
    "Zinkgruvan",
    "Émile",
]


def test_swedish_order_puts_a_with_ring_then_a_umlaut_then_o_umlaut_after_z() -> None:
    assert sorted_swedish(MUNICIPALITIES) == [
        "Ale",
        "Eksjö",
        "Émile",
        "Västerås",
        "Wadköping",
        "Ystad",
        "Zinkgruvan",
        "Åre",
        "Ängelholm",
        "Öckerö",
        "Ödeshög",
    ]


def test_pythons_own_order_is_not_swedish() -> None:
    assert sorted(["Ängelholm", "Åre"]) == ["Ängelholm", "Åre"]
    assert sorted_swedish(["Ängelholm", "Åre"]) == ["Åre", "Ängelholm"]


def test_swedish_order_ignores_case_at_first() -> None:
    assert sorted_swedish(["b", "A", "a", "B", "ö", "Å"]) == ["A", "a", "B", "b", "Å", "ö"]


def test_w_is_its_own_letter_after_v() -> None:
    assert sorted_swedish(["Wa", "Vb", "Va", "Wb"]) == ["Va", "Vb", "Wa", "Wb"]


def test_accented_letters_sort_with_their_base_letter() -> None:
    assert sorted_swedish(["Ef", "Éd", "Ee", "èc"]) == ["èc", "Éd", "Ee", "Ef"]
    assert sorted_swedish(["Ab", "Àa", "Ác"]) == ["Àa", "Ab", "Ác"]


def test_u_umlaut_sorts_as_y_and_ae_and_o_slash_as_a_umlaut_and_o_umlaut() -> None:
    assert sorted_swedish(["Müller", "Mz", "Mx"]) == ["Mx", "Müller", "Mz"]
    assert sorted_swedish(["Æble", "Ärla", "Åsa", "Ab"]) == ["Ab", "Åsa", "Æble", "Ärla"]
    assert sorted_swedish(["Ørsted", "Öl", "Zeta"]) == ["Zeta", "Öl", "Ørsted"]


def test_other_diacritics_are_stripped() -> None:
    assert sorted_swedish(["Łódź", "Lund", "Lodz"]) == ["Lodz", "Łódź", "Lund"]
    assert sorted_swedish(["Çelik", "Cecilia", "Cz"]) == ["Cecilia", "Çelik", "Cz"]


def test_digits_come_before_letters_and_spaces_before_digits() -> None:
    assert sorted_swedish(["Bo", "2 Bo", "1 Bo", "Bo 2", "Bo2"]) == [
        "1 Bo",
        "2 Bo",
        "Bo",
        "Bo 2",
        "Bo2",
    ]


def test_decomposed_letters_sort_like_composed_ones() -> None:
    decomposed_a_ring = "A\u030are"
    assert swedish_sort_key(decomposed_a_ring)[0] == swedish_sort_key("Åre")[0]
    assert sorted_swedish(["Öl", decomposed_a_ring, "Zeta"]) == ["Zeta", decomposed_a_ring, "Öl"]


def test_the_order_is_total_and_does_not_depend_on_the_input_order() -> None:
    names = ["emile", "Émile", "Emile", "émile", "EMILE"]
    first = sorted_swedish(names)
    assert sorted_swedish(list(reversed(names))) == first
    assert len({swedish_sort_key(n) for n in names}) == len(names)
    # unaccented before accented when the letters are the same
    assert first.index("Emile") < first.index("Émile")


def test_sorted_swedish_takes_a_key_that_gives_each_items_string() -> None:
    units = [{"namn": "Östra skolan"}, {"namn": "Arbetsmarknad"}, {"namn": "Ängens förskola"}]
    assert sorted_swedish(units, key=lambda u: u["namn"]) == [
        {"namn": "Arbetsmarknad"},
        {"namn": "Ängens förskola"},
        {"namn": "Östra skolan"},
    ]


def test_sorted_swedish_returns_a_new_list() -> None:
    names = ("Ö", "A")
    assert sorted_swedish(names) == ["A", "Ö"]
    assert sorted_swedish(iter(names)) == ["A", "Ö"]


# --- filters ---------------------------------------------------------------------------------


def test_the_filters_have_their_swedish_names() -> None:
    assert set(FILTERS) == {
        "datum",
        "långt_datum",
        "tal",
        "heltal",
        "årtal",
        "procent",
        "kronor",
        "tkr",
        "mnkr",
        "mdkr",
        "lista",
        "versal",
        "svensk_ordning",
    }


def test_date_filters_take_dates_and_iso_strings() -> None:
    assert FILTERS["datum"](date(2026, 2, 20)) == "2026-02-20"
    assert FILTERS["datum"]("2026-02-20") == "2026-02-20"
    assert FILTERS["långt_datum"]("2026-02-20") == "20 februari 2026"
    assert FILTERS["långt_datum"](" 2026-02-20T10:30:00 ") == "20 februari 2026"
    assert FILTERS["långt_datum"](datetime(2026, 2, 20, 10, 30)) == "20 februari 2026"


def test_date_filters_refuse_what_is_not_a_date() -> None:
    with pytest.raises(ValueError, match=r"datum.*2026-02-20.*'20 februari'"):
        FILTERS["datum"]("20 februari")
    with pytest.raises(TypeError, match="långt_datum"):
        FILTERS["långt_datum"](20260220)


def test_number_filters_take_numbers_and_numeric_strings() -> None:
    assert FILTERS["tal"](1234.5) == "1\xa0234,5"
    assert FILTERS["tal"]("1234.5") == "1\xa0234,5"
    assert FILTERS["tal"]("-3.2") == "\u22123,2"
    assert FILTERS["tal"](Decimal("3"), 1) == "3,0"
    assert FILTERS["heltal"]("71263221") == "71\xa0263\xa0221"
    assert FILTERS["heltal"](-1200) == "\u22121\xa0200"
    assert FILTERS["procent"](0.45) == "45\xa0%"
    assert FILTERS["procent"]("0.125", 1) == "12,5\xa0%"
    assert FILTERS["kronor"](12500) == "12\xa0500\xa0kr"
    assert FILTERS["kronor"]("1234.5") == "1\xa0234,50\xa0kr"
    assert FILTERS["tkr"](12500) == "12,5\xa0tkr"
    assert FILTERS["mnkr"]("1200000") == "1,2\xa0mnkr"
    assert FILTERS["mnkr"](1_234_567, 2) == "1,23\xa0mnkr"
    assert FILTERS["mdkr"](3_400_000_000) == "3,4\xa0mdkr"


def test_the_year_filter_takes_ints_whole_strings_and_dates() -> None:
    assert FILTERS["årtal"](2030) == "2030"
    assert FILTERS["årtal"]("2030") == "2030"
    assert FILTERS["årtal"](2030.0) == "2030"
    assert FILTERS["årtal"](date(2026, 2, 20)) == "2026"
    with pytest.raises(ValueError, match="whole year"):
        FILTERS["årtal"](2030.5)


def test_number_filters_refuse_swedish_written_numbers_and_booleans() -> None:
    with pytest.raises(ValueError, match=r"'tal'.*1234\.5.*'1 234,5'"):
        FILTERS["tal"]("1 234,5")
    with pytest.raises(ValueError, match="kronor"):
        FILTERS["kronor"]("12,5")
    with pytest.raises(ValueError, match="heltal"):
        FILTERS["heltal"]("nan")
    with pytest.raises(TypeError, match=r"'procent'.*bool"):
        FILTERS["procent"](True)
    with pytest.raises(TypeError, match="tkr"):
        FILTERS["tkr"]([1])


@pytest.mark.parametrize(
    "name",
    ["datum", "långt_datum", "tal", "heltal", "årtal", "procent", "kronor", "tkr", "mnkr", "mdkr"],
)
def test_a_value_filter_gives_an_en_dash_for_none_or_an_empty_string(name: str) -> None:
    assert EMPTY == "\u2013"
    assert FILTERS[name](None) == "\u2013"
    assert FILTERS[name]("") == "\u2013"
    assert FILTERS[name]("  ") == "\u2013"


def test_the_list_filter_joins_strings_from_any_iterable() -> None:
    assert FILTERS["lista"](["A", "B", "C"]) == "A, B och C"
    assert FILTERS["lista"](x for x in ["A", "B"]) == "A och B"
    assert FILTERS["lista"]([]) == ""
    assert FILTERS["lista"](None) == "\u2013"


def test_the_list_filter_refuses_a_single_string_and_non_strings() -> None:
    with pytest.raises(TypeError, match="expected a list"):
        FILTERS["lista"]("ABC")
    with pytest.raises(TypeError, match="strings"):
        FILTERS["lista"](["A", 2])


def test_the_order_filter_sorts_strings_and_dicts_by_name() -> None:
    assert FILTERS["svensk_ordning"](MUNICIPALITIES)[-3:] == ["Ängelholm", "Öckerö", "Ödeshög"]
    units = [{"namn": "Östra", "typ": "enhet"}, {"namn": "Ale", "typ": "bolag"}]
    assert FILTERS["svensk_ordning"](units) == [
        {"namn": "Ale", "typ": "bolag"},
        {"namn": "Östra", "typ": "enhet"},
    ]
    assert FILTERS["svensk_ordning"]([{"rubrik": "Ö"}, {"rubrik": "Å"}], "rubrik") == [
        {"rubrik": "Å"},
        {"rubrik": "Ö"},
    ]
    assert FILTERS["svensk_ordning"](None) == []


def test_the_order_filter_refuses_items_without_a_name() -> None:
    with pytest.raises(TypeError, match="namn"):
        FILTERS["svensk_ordning"]([{"titel": "A"}])
    with pytest.raises(TypeError, match="expected a list"):
        FILTERS["svensk_ordning"]("Åre")


def test_the_filters_work_in_a_sandboxed_jinja_template() -> None:
    sandbox = pytest.importorskip("jinja2.sandbox")
    env = sandbox.SandboxedEnvironment(autoescape=True)
    env.filters.update(FILTERS)
    template = env.from_string(
        "{{ d | långt_datum }}; {{ x | tal }}; {{ k | mnkr }}; {{ p | procent(1) }}; "
        "{{ units | svensk_ordning | map(attribute='namn') | lista }}; {{ saknas | kronor }}"
    )
    text = template.render(
        d="2026-02-20",
        x=-3.2,
        k=1_200_000,
        p=0.125,
        units=[{"namn": "Öckerö"}, {"namn": "Åre"}, {"namn": "Ale"}],
        saknas=None,
    )
    assert text == (
        "20 februari 2026; \u22123,2; 1,2\xa0mnkr; 12,5\xa0%; Ale, Åre och Öckerö; \u2013"
    )


# --- speed -----------------------------------------------------------------------------------


def test_format_number_is_fast_after_warm_up() -> None:
    format_number(1234.5)
    calls = 2000
    best = min(timeit.repeat(lambda: format_number(-1234.5), number=calls, repeat=5)) / calls
    assert best < 50e-6  # measured about 7 µs; the target is well under 20 µs, with CI headroom


def test_versal_capitalises_the_first_letter_only() -> None:
    assert FILTERS["versal"]("miljöstrategins") == "Miljöstrategins"
    assert FILTERS["versal"]("åtgärdsprogrammet för EU-stöd") == "Åtgärdsprogrammet för EU-stöd"
    assert FILTERS["versal"]("") == ""
    assert FILTERS["versal"](None) == "\u2013"
    with pytest.raises(TypeError, match="versal"):
        FILTERS["versal"](3)


def test_a_range_of_two_numeric_dates_has_a_spaced_dash_that_never_begins_a_line() -> None:
    assert format_date_range("2026-03-01", "2026-09-30") == "2026-03-01\u00a0– 2026-09-30"
