"""Indicators from files: CSV key figures and saved Kolada responses (v3, v2, pages) -> complete indicators."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from hallbardocs.documents.wording import compares_with_others, series_decimals, series_in_text, unit_text
from hallbardocs.errors import Location, Problem
from hallbardocs.formatting import format_number
from hallbardocs.load.indicators import expand_indicators, parse_number, read_indicator_csv, read_kolada
from hallbardocs.model.followup import Indicator

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
FOLLOWUP = "uppfoljning.yaml"


def _total(value: float | None, status: str = "", **extra: Any) -> dict[str, Any]:
    return {"gender": "T", "count": 1, "status": status, "value": value, "isdeleted": False} | extra


def _record(municipality: str, period: int, *entries: dict[str, Any], kpi: str = "N07702") -> dict[str, Any]:
    return {"kpi": kpi, "municipality": municipality, "period": period, "values": list(entries)}


V3 = {
    "values": [
        _record("9999", 2019, _total(71263), {"gender": "K", "count": 1, "status": "", "value": 1, "isdeleted": False}),
        _record("9999", 2020, _total(None, "Missing", count=0)),
        _record("9999", 2021, _total(64880)),
        _record("9999", 2022, _total(99999, isdeleted=True)),
        _record("G99999", 2019, _total(80110)),
        _record("G99999", 2021, _total(76400)),
        _record("0000", 2021, _total(91000)),
    ],
    "next_url": None,
}

V2 = {
    "count": 3,
    "values": [
        _record("9999", 2023, {"count": 1, "gender": "T", "status": "", "value": 3.6}, kpi="N00401"),
        _record("9999", 2024, {"count": 1, "gender": "T", "status": "", "value": 3.46}, kpi="N00401"),
        _record("0000", 2024, {"count": 1, "gender": "T", "status": "", "value": 4.15}, kpi="N00401"),
    ],
    "next_page": None,
}

ENTRY: dict[str, Any] = {
    "kolada": "kolada.json",
    "kommun": "9999",
    "jämförelse": {"Liknande kommuner": "G99999", "Riket": "0000"},
    "namn": "Utsläpp av växthusgaser",
    "enhet": "ton CO2-ekv",
    "bättre": "lägre",
    "mål": {"värde": 40000, "år": 2030},
}


def _expand(tmp_path: Path, *entries: Any, files: dict[str, Any] | None = None) -> tuple[list[Any], list[Problem]]:
    for name, content in (files or {}).items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_text(json.dumps(content), encoding="utf-8")
    data, problems = expand_indicators({"indikatorer": list(entries)}, tmp_path, FOLLOWUP)
    return data["indikatorer"], problems


def _codes(problems: list[Problem]) -> list[tuple[str, str]]:
    return [(p.code, p.severity) for p in problems]


# --- numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 234,5", 1234.5),
        ("1\xa0234,5", 1234.5),
        ("1\u202f234", 1234.0),
        ("\u22123,25", -3.25),
        ("-3.25", -3.25),
        ("42", 42.0),
        ("", None),
        ("..", None),
    ],
)
def test_numbers_are_read_as_people_write_them(text: str, value: float | None) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["12a", "1,2,3", "1.234,5", "ton", "--1"])
def test_what_is_not_a_number_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


# --- Kolada --------------------------------------------------------------------------------------


def test_a_v3_response_becomes_a_complete_indicator(tmp_path: Path) -> None:
    indicators, problems = _expand(tmp_path, ENTRY, files={"kolada.json": V3})
    assert problems == []
    assert indicators == [
        {
            "id": "N07702",
            "namn": "Utsläpp av växthusgaser",
            "enhet": "ton CO2-ekv",
            "bättre": "lägre",
            "mål": {"värde": 40000, "år": 2030},
            "värden": {2019: 71263.0, 2020: None, 2021: 64880.0},
            "jämförelse": {"Liknande kommuner": {2019: 80110.0, 2021: 76400.0}, "Riket": {2021: 91000.0}},
            "källa": "Kolada",
        }
    ]
    Indicator.model_validate(indicators[0])


def test_missing_is_a_gap_never_zero_and_deleted_values_are_skipped(tmp_path: Path) -> None:
    [indicator], _ = _expand(tmp_path, ENTRY, files={"kolada.json": V3})
    assert indicator["värden"][2020] is None
    assert 2022 not in indicator["värden"]


def test_the_total_is_used_not_women_or_men(tmp_path: Path) -> None:
    [indicator], _ = _expand(tmp_path, ENTRY, files={"kolada.json": V3})
    assert indicator["värden"][2019] == 71263.0


def test_a_v2_response_is_read_the_same_way(tmp_path: Path) -> None:
    entry = {
        "kolada": "v2.json",
        "kommun": 9999,
        "jämförelse": {"Riket": 0},
        "namn": "N",
        "enhet": "t",
        "bättre": "lägre",
    }
    [indicator], problems = _expand(tmp_path, entry, files={"v2.json": V2})
    assert problems == []
    assert indicator["id"] == "N00401"
    assert indicator["värden"] == {2023: 3.6, 2024: 3.46}
    assert indicator["jämförelse"] == {"Riket": {2024: 4.15}}


def test_pages_saved_as_a_json_array_are_joined(tmp_path: Path) -> None:
    first = {"values": V3["values"][:3], "next_url": "https://api.kolada.se/v3/data/kpi/N07702?page=2"}
    second = {"values": V3["values"][3:], "next_url": None}
    [indicator], problems = _expand(tmp_path, ENTRY | {"kolada": "pages.json"}, files={"pages.json": [first, second]})
    assert problems == []
    assert indicator["värden"] == {2019: 71263.0, 2020: None, 2021: 64880.0}
    assert indicator["jämförelse"]["Riket"] == {2021: 91000.0}


def test_the_municipality_is_found_when_only_the_comparisons_are_named(tmp_path: Path) -> None:
    entry = {k: v for k, v in ENTRY.items() if k != "kommun"}
    [indicator], problems = _expand(tmp_path, entry, files={"kolada.json": V3})
    assert problems == []
    assert indicator["värden"][2021] == 64880.0


def test_the_entry_may_name_its_own_id_and_source_and_keeps_its_comment(tmp_path: Path) -> None:
    entry = ENTRY | {
        "kpi": "N07702",
        "id": "UTSLÄPP",
        "källa": "Egen bearbetning av data från Kolada",
        "kommentar": "K",
    }
    [indicator], problems = _expand(tmp_path, entry, files={"kolada.json": V3})
    assert problems == []
    assert (indicator["id"], indicator["källa"], indicator["kommentar"]) == (
        "UTSLÄPP",
        "Egen bearbetning av data från Kolada",
        "K",
    )


def test_a_status_other_than_missing_is_a_warning_and_the_value_is_kept() -> None:
    data = {"values": [_record("9999", 2024, _total(12.5, "Estimated"))]}
    values, problems = read_kolada(data, "k.json")
    assert [v.value for v in values] == [12.5]
    assert problems == [
        Problem(
            "HD904",
            "Kolada anger status ”Estimated” för N07702 år 2024; värdet används ändå.",
            Location("k.json", field="values[1].values[1].status"),
            severity="varning",
        )
    ]


def test_hd904_keeps_going_through_the_follow_up(tmp_path: Path) -> None:
    data = {"values": [_record("9999", 2024, _total(12.5, "Estimated"))]}
    [indicator], problems = _expand(tmp_path, ENTRY | {"jämförelse": {}}, files={"kolada.json": data})
    assert _codes(problems) == [("HD904", "varning")]
    assert indicator["värden"] == {2024: 12.5}


# --- Kolada problems -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "message_part"),
    [
        ({}, "kan inte läsas"),
        ({"kolada.json": "{not json"}, "är ingen JSON"),
        ({"kolada.json": {"data": []}}, "inget sparat svar från Kolada"),
        ({"kolada.json": b"\xff\xfe{}"}, "inte UTF-8"),
    ],
    ids=["missing", "not JSON", "not Kolada", "not UTF-8"],
)
def test_hd901_a_file_that_cannot_be_used(tmp_path: Path, files: dict[str, Any], message_part: str) -> None:
    indicators, problems = _expand(tmp_path, {"namn": "x"} | ENTRY, files=files)
    assert indicators == []
    [problem] = problems
    assert problem.code == "HD901"
    assert message_part in problem.message
    assert problem.location == Location(FOLLOWUP, field="indikatorer[1].kolada")


def test_hd901_an_entry_without_a_file_name(tmp_path: Path) -> None:
    _, problems = _expand(tmp_path, {"fil": ""})
    assert [(p.code, p.location) for p in problems] == [("HD901", Location(FOLLOWUP, field="indikatorer[1].fil"))]


def test_hd903_no_data_for_the_municipality(tmp_path: Path) -> None:
    indicators, problems = _expand(tmp_path, ENTRY | {"kommun": "1234"}, files={"kolada.json": V3})
    assert indicators == []
    [problem] = problems
    assert problem.code == "HD903"
    assert "id 1234" in problem.message
    assert problem.location == Location(FOLLOWUP, field="indikatorer[1].kommun")


def test_hd903_no_data_for_a_comparison(tmp_path: Path) -> None:
    entry = ENTRY | {"jämförelse": {"Riket": "0000", "Länet": "0020"}}
    [indicator], problems = _expand(tmp_path, entry, files={"kolada.json": V3})
    assert list(indicator["jämförelse"]) == ["Riket"]
    assert [(p.code, p.location) for p in problems] == [
        ("HD903", Location(FOLLOWUP, field="indikatorer[1].jämförelse"))
    ]
    assert "”Länet”" in problems[0].message


def test_hd903_no_data_for_the_kpi(tmp_path: Path) -> None:
    indicators, problems = _expand(tmp_path, ENTRY | {"id": "U07414"}, files={"kolada.json": V3})
    assert indicators == []
    assert [(p.code, p.location) for p in problems] == [("HD903", Location(FOLLOWUP, field="indikatorer[1]"))]
    assert "U07414" in problems[0].message and "N07702" in problems[0].message


def test_hd903_two_kpis_and_no_id(tmp_path: Path) -> None:
    both = {"values": V3["values"] + V2["values"]}
    _, problems = _expand(tmp_path, ENTRY, files={"kolada.json": both})
    assert [(p.code, p.location) for p in problems] == [("HD903", Location(FOLLOWUP, field="indikatorer[1].id"))]


# --- CSV -----------------------------------------------------------------------------------------

CSV = """\
id;namn;enhet;bättre;målvärde;målår;serie;år;värde
U07414;Hushållsavfall till materialåtervinning;%;högre;60;2030;kommunen;2024;41,2
U07414;Hushållsavfall till materialåtervinning;%;högre;60;2030;;2025;43,5
U07414;Hushållsavfall till materialåtervinning;%;högre;60;2030;Riket;2024;38,7
U07414;;;;;;kommunen;2026;
N01;Nettoutsläpp;ton;lägre;;;kommunen;2024;\u22121 234,5
"""


def test_a_semicolon_csv_with_decimal_commas_gives_every_indicator() -> None:
    indicators, problems = read_indicator_csv(CSV, "n.csv")
    assert problems == []
    assert indicators == [
        {
            "id": "U07414",
            "namn": "Hushållsavfall till materialåtervinning",
            "enhet": "%",
            "bättre": "högre",
            "mål": {"värde": 60.0, "år": 2030},
            "värden": {2024: 41.2, 2025: 43.5, 2026: None},
            "jämförelse": {"Riket": {2024: 38.7}},
        },
        {"id": "N01", "namn": "Nettoutsläpp", "enhet": "ton", "bättre": "lägre", "värden": {2024: -1234.5}},
    ]


def test_a_comma_csv_with_quoted_decimal_commas_and_a_bom_is_read_the_same() -> None:
    text = '\ufeffid,namn,enhet,bättre,serie,år,värde,källa\nX1,Andel,%,högre,kommunen,2024,"12,5",Egen mätning\n'
    indicators, problems = read_indicator_csv(text.removeprefix("\ufeff"), "c.csv")
    assert problems == []
    assert indicators == [
        {"id": "X1", "namn": "Andel", "enhet": "%", "bättre": "högre", "värden": {2024: 12.5}, "källa": "Egen mätning"}
    ]


def test_a_csv_entry_expands_into_its_indicators_in_place(tmp_path: Path) -> None:
    complete = {"id": "A", "namn": "A", "enhet": "st", "bättre": "högre", "värden": {2024: 1}}
    bom_csv = ("\ufeff" + CSV).encode("utf-8")
    indicators, problems = _expand(
        tmp_path, complete, {"fil": "ind/n.csv", "källa": "Lindåsa"}, files={"ind/n.csv": bom_csv}
    )
    assert problems == []
    assert [i["id"] for i in indicators] == ["A", "U07414", "N01"]
    assert indicators[0] == complete and indicators[0] is not complete
    assert {i.get("källa") for i in indicators[1:]} == {"Lindåsa"}
    for indicator in indicators:
        Indicator.model_validate(indicator)


def test_hd902_a_missing_column_on_the_header_line() -> None:
    _, problems = read_indicator_csv("id;namn;enhet;bättre;år\nA;A;st;högre;2024\n", "n.csv")
    assert [(p.code, p.location) for p in problems] == [("HD902", Location("n.csv", 1))]
    assert "”värde”" in problems[0].message


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("A;A;st;högre;2024;12 ton", "värde"),
        ("A;A;st;högre;tjugo;12", "år"),
        ("A;A;st;bättre;2024;12", "bättre"),
        (";A;st;högre;2024;12", "id"),
    ],
)
def test_hd902_a_bad_cell_with_its_line_and_column(row: str, column: str) -> None:
    text = "id;namn;enhet;bättre;år;värde\nB;B;st;högre;2024;1\n" + row + "\n"
    _, problems = read_indicator_csv(text, "n.csv")
    assert [(p.code, p.location) for p in problems] == [("HD902", Location("n.csv", 3, field=column))]


def test_hd902_a_target_value_without_a_year() -> None:
    _, problems = read_indicator_csv("id;namn;enhet;bättre;målvärde;år;värde\nA;A;st;högre;5;2024;1\n", "n.csv")
    assert [(p.code, p.location) for p in problems] == [("HD902", Location("n.csv", 2, field="målår"))]


def test_hd902_an_unknown_column_is_a_warning() -> None:
    _, problems = read_indicator_csv("id;namn;enhet;bättre;år;värde;malvarde\nA;A;st;högre;2024;1;5\n", "n.csv")
    assert [(p.code, p.severity, p.location) for p in problems] == [
        ("HD902", "varning", Location("n.csv", 1, field="malvarde"))
    ]


def test_hd902_through_the_follow_up_names_the_csv_file(tmp_path: Path) -> None:
    _, problems = _expand(
        tmp_path, {"fil": "n.csv"}, files={"n.csv": "id;namn;enhet;bättre;år;värde\nA;A;st;högre;2024;x\n"}
    )
    assert [(p.code, p.location) for p in problems] == [("HD902", Location(str(tmp_path / "n.csv"), 2, field="värde"))]


def test_hd901_a_csv_file_that_is_missing(tmp_path: Path) -> None:
    _, problems = _expand(tmp_path, {"fil": "saknas.csv"})
    assert [(p.code, p.location) for p in problems] == [("HD901", Location(FOLLOWUP, field="indikatorer[1].fil"))]


def test_hd905_two_units_for_one_indicator() -> None:
    text = "id;namn;enhet;bättre;år;värde\nA;A;ton;lägre;2024;1\nA;A;kg;lägre;2025;2\n"
    indicators, problems = read_indicator_csv(text, "n.csv")
    assert [(p.code, p.location) for p in problems] == [("HD905", Location("n.csv", 3, field="enhet"))]
    assert problems[0].message == "Indikatorn ”A” har enhet ”ton” på rad 2 men ”kg” här."
    assert indicators[0]["enhet"] == "ton"


def test_hd905_two_values_for_one_year() -> None:
    text = "id;namn;enhet;bättre;serie;år;värde\nA;A;t;lägre;Riket;2024;1\nA;A;t;lägre;Riket;2024;2\nA;A;t;lägre;Riket;2024;1\n"
    _, problems = read_indicator_csv(text, "n.csv")
    assert [(p.code, p.location) for p in problems] == [("HD905", Location("n.csv", 3, field="värde"))]


# --- the follow-up's data ------------------------------------------------------------------------


def test_the_input_is_never_changed(tmp_path: Path) -> None:
    (tmp_path / "kolada.json").write_text(json.dumps(V3), encoding="utf-8")
    (tmp_path / "n.csv").write_text(CSV, encoding="utf-8")
    complete = {"id": "A", "namn": "A", "enhet": "st", "bättre": "högre", "värden": {2024: 1}}
    data = {"plan": "P", "indikatorer": [complete, {"fil": "n.csv"}, ENTRY]}
    before = copy.deepcopy(data)
    out, problems = expand_indicators(data, tmp_path, FOLLOWUP)
    assert problems == []
    assert data == before
    assert out is not data and out["plan"] == "P" and len(out["indikatorer"]) == 4


def test_data_without_an_indicator_list_is_given_back_as_a_copy(tmp_path: Path) -> None:
    data: dict[str, Any] = {"plan": "P"}
    out, problems = expand_indicators(data, tmp_path, FOLLOWUP)
    assert out == data and out is not data and problems == []


def test_the_examples_expand_into_valid_indicators() -> None:
    entries = [
        {"fil": "indikatorer/nyckeltal.csv"},
        ENTRY | {"kolada": "indikatorer/N07702.json", "jämförelse": {"Liknande kommuner": "G99999"}},
        ENTRY | {"kolada": "indikatorer/N00401.json", "enhet": "ton CO2-ekv/invånare", "mål": {"värde": 2, "år": 2030}},
    ]
    data, problems = expand_indicators({"indikatorer": entries}, EXAMPLES, "uppfoljning.yaml")
    assert problems == []
    indicators = [Indicator.model_validate(i) for i in data["indikatorer"]]
    assert [i.id for i in indicators] == ["U07414", "U07801", "LIN01", "N07702", "N00401"]
    assert indicators[2].values[2020] is None
    assert indicators[3].values[2021] is None
    assert list(indicators[4].comparisons) == ["Liknande kommuner", "Riket"]


def test_the_example_follow_up_refers_to_files_that_expand_cleanly() -> None:
    data = yaml.safe_load((EXAMPLES / "uppfoljning.yaml").read_text(encoding="utf-8"))
    _, problems = expand_indicators(data, EXAMPLES, "uppfoljning.yaml")
    assert problems == []


# --- how the documents print indicators: decimals, unit, what is compared ------------------------


def test_the_example_series_keep_their_decimals_from_every_kind_of_file() -> None:
    """Values are floats once read (CSV text, Kolada JSON, YAML): a series prints with the decimals
    of its most precise value, so the CSV's 33,0 beside 31,4 stays 33,0."""
    entries = [
        {"fil": "indikatorer/nyckeltal.csv"},
        ENTRY | {"kolada": "indikatorer/N00401.json", "enhet": "ton CO2-ekv/invånare", "mål": {"värde": 2, "år": 2030}},
    ]
    data, problems = expand_indicators({"indikatorer": entries}, EXAMPLES, "uppfoljning.yaml")
    assert problems == []
    indicators = {i["id"]: Indicator.model_validate(i) for i in data["indikatorer"]}
    waste = indicators["U07414"]
    assert waste.values[2020] == 33.0
    assert series_decimals(waste.values.values()) == 1
    assert format_number(waste.values[2020], series_decimals(waste.values.values())) == "33,0"
    assert series_decimals(indicators["N00401"].values.values()) == 2
    yaml_values = Indicator.model_validate(
        yaml.safe_load("{id: X, namn: X, enhet: '%', bättre: högre, värden: {2019: 62, 2020: 66}}")
    )
    assert series_decimals(yaml_values.values.values()) == 0


@pytest.mark.parametrize(
    ("unit", "compared"),
    [
        ("%", True),
        ("procent", True),
        ("Procent", True),
        ("promille", True),
        ("index", True),
        ("kg/invånare", True),
        ("ton CO2-ekv/invånare", True),
        ("kWh per m²", True),
        ("kr per invånare", True),
        ("ton CO2-ekv", False),
        ("kWh", False),
        ("antal", False),
        ("ton", False),
        ("", False),
    ],
)
def test_only_shares_rates_and_values_per_something_are_compared_with_others(unit: str, compared: bool) -> None:
    assert compares_with_others(unit) is compared


def test_a_percentage_is_one_unit_word_in_every_document() -> None:
    assert {unit_text(u) for u in ("%", "procent", "Procent", " % ")} == {"%"}
    assert unit_text("kg/invånare") == "kg/invånare"


@pytest.mark.parametrize(
    ("name", "in_text"),
    [
        ("Liknande kommuner", "liknande kommuner"),
        ("Riket", "riket"),
        ("Länet", "länet"),
        ("Kommungruppen Större städer", "kommungruppen Större städer"),
        ("Västra Götalands län", "Västra Götalands län"),
        ("Göteborg", "Göteborg"),
        ("KKiK-kommunerna", "KKiK-kommunerna"),
    ],
)
def test_a_generic_comparison_name_is_lower_case_mid_sentence_a_proper_name_is_not(name: str, in_text: str) -> None:
    assert series_in_text(name) == in_text
