"""Real-sized plans and real mistakes: a plan that `check` accepts always renders, and every failure
is a coded Swedish problem, never a traceback."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from plan_data import COMMITTEE, examples, followup_data, plan_data

from hallbardocs import (
    InvalidInputError,
    Location,
    load_followup,
    load_plan,
    write_handlingsplan,
    write_miljobokslut,
    write_tjansteskrivelse,
)
from hallbardocs.model.followup import Indicator, indicator_number_ok, indicator_year_ok


def _write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# --- the core properties hold at most 255 characters ------------------------------------------------


def test_a_plan_of_twenty_long_focus_areas_and_a_long_name_renders_all_three_documents(tmp_path: Path) -> None:
    areas = [f"Fokusområde {n:02d}: för ett hållbart Lindåsa" for n in range(1, 21)]
    assert all(len(a) == 40 for a in areas) and len(set(areas)) == 20
    name = ("Handlingsplan till miljöstrategin för kommunkoncernen " * 5)[:199] + "x"
    assert len(name) == 200
    data = plan_data(document_name=name, focus_areas=areas, municipality="Lindåsa kommun " * 20)
    committee = dict(COMMITTEE, ärende="Uppföljning av handlingsplanen " * 12, mottagare="Miljönämnden " * 25)
    plan = load_plan(_write_json(tmp_path / "plan.json", data))
    followup = load_followup(_write_json(tmp_path / "uppf.json", followup_data(data, committee=committee)), plan)

    outputs = [
        write_handlingsplan(plan, tmp_path / "handlingsplan.docx"),
        write_miljobokslut(plan, followup, tmp_path / "miljobokslut.docx"),
        write_tjansteskrivelse(plan, followup, tmp_path / "tjansteskrivelse.docx"),
    ]

    for out in outputs:
        core = Document(str(out)).core_properties
        texts = [core.title, core.subject, core.keywords, core.author, core.last_modified_by, core.comments]
        assert all(len(t) <= 255 for t in texts), out.name
        assert core.keywords.endswith("…"), out.name
        for text in texts:
            if text.endswith("…"):
                kept = text[:-1]
                assert kept == kept.rstrip(" ,"), text  # no dangling separator before the ellipsis
                whole = " ".join([name, *areas, "Lindåsa kommun", "Uppföljning av handlingsplanen", "Miljönämnden"])
                words = {w.rstrip(",:") for w in whole.split()}
                assert kept.split()[-1].rstrip(",:") in words, text  # a whole word, never cut inside
    assert Document(str(outputs[0])).core_properties.title.startswith("Handlingsplan till miljöstrategin")


@pytest.mark.parametrize("limit", [1, 2, 5, 17, 40, 255])
def test_a_shortened_text_fits_its_limit_and_keeps_whole_words(limit: int) -> None:
    from hallbardocs.content import shorten

    text = "Jämställdhet, jämlikhet och inkludering; Klimat & energi <2030> " * 6
    short = shorten(text, limit)
    assert len(short) <= limit and short.endswith("…")
    if " " in short:
        assert text.startswith(short[:-1]) and text[len(short) - 1] in " ,;"


# --- indicators: every value validation accepts can be drawn ----------------------------------------

EXAMPLE_PLAN = Path(__file__).resolve().parents[1] / "examples" / "handlingsplan.yaml"
FOLLOWUP_FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "followup"
ERRORS_MD = Path(__file__).resolve().parents[1] / "docs" / "errors.md"


def _indicator(values: dict[Any, Any], **changes: Any) -> dict[str, Any]:
    data = {"id": "N00401", "namn": "Utsläpp per invånare", "enhet": "ton", "bättre": "lägre", "värden": values}
    data.update(changes)
    return data


def _followup_yaml(tmp_path: Path, indicators: str) -> Path:
    """The example plan's follow-up with one report and ``indicators`` (YAML) as its indicator list."""
    text = (
        "plan: Handlingsplan till miljöstrategin för 2026\n"
        "period: {typ: helår, år: 2026, per: 2026-12-31}\n"
        "rapporter:\n"
        '  - {aktivitet: "1.1", enhet: Sektorn för verksamhetsstöd, status: Genomförd}\n'
        "indikatorer:\n" + indicators
    )
    path = tmp_path / "uppfoljning.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _found(path: Path) -> list[tuple[str, str | None, int | None, str | None]]:
    from hallbardocs import check_followup

    result = check_followup(path, load_plan(EXAMPLE_PLAN))
    return [
        (
            p.code,
            p.location.file if p.location else None,
            p.location.line if p.location else None,
            p.location.field if p.location else None,
        )
        for p in result.problems
        if p.code != "HD706"
    ]


def test_a_miljobokslut_with_fractional_axis_ticks_renders(tmp_path: Path) -> None:
    path = _followup_yaml(
        tmp_path, "  - {id: A, namn: Andel, enhet: '%', bättre: högre, värden: {2022: 0.42, 2023: 0.45, 2024: 0.47}}\n"
    )
    plan = load_plan(EXAMPLE_PLAN)
    out = write_miljobokslut(plan, load_followup(path, plan), tmp_path / "miljobokslut.docx")
    assert Document(str(out)).inline_shapes  # the chart is in it


@pytest.mark.parametrize(
    ("fixture", "code", "line", "field"),
    [
        ("HD906_indicator_value_not_finite.yaml", "HD906", 8, "indikatorer[1].värden.2025"),
        ("HD907_indicator_year_out_of_range.yaml", "HD907", 8, "indikatorer[1].värden.0"),
    ],
)
def test_the_indicator_number_fixtures_report_their_problem_where_it_is_as_docs_show(
    fixture: str, code: str, line: int, field: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hallbardocs import check_followup

    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    path = Path("tests/fixtures/followup") / fixture
    problems = [p for p in check_followup(path, load_plan(EXAMPLE_PLAN)).problems if p.code != "HD706"]
    assert [(p.code, p.location.line, p.location.field) for p in problems if p.location] == [(code, line, field)]
    assert str(problems[0]) in ERRORS_MD.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize(
    ("indicator", "code", "field"),
    [
        ("{2024: .inf}", "HD906", "indikatorer[1].värden.2024"),
        ("{2024: -.inf}", "HD906", "indikatorer[1].värden.2024"),
        ("{2024: 1e308}", "HD906", "indikatorer[1].värden.2024"),
        ("{2024: -1.5e15}", "HD906", "indikatorer[1].värden.2024"),
        ("{1000000000000: 3.1}", "HD907", "indikatorer[1].värden.1000000000000"),
        ("{1899: 3.1}", "HD907", "indikatorer[1].värden.1899"),
    ],
)
def test_a_yaml_indicator_value_no_chart_can_show_is_refused(
    tmp_path: Path, indicator: str, code: str, field: str
) -> None:
    path = _followup_yaml(
        tmp_path,
        f"  - {{id: A, namn: B, enhet: ton, bättre: lägre, värden: {{2023: 1}}, jämförelse: {{}}}}\n"
        f"  - {{id: C, namn: D, enhet: ton, bättre: lägre, värden: {indicator}}}\n",
    )
    assert _found(path) == [(code, str(path), 7, field.replace("[1]", "[2]"))]


def test_a_comparison_and_a_target_that_are_not_finite_are_refused(tmp_path: Path) -> None:
    path = _followup_yaml(
        tmp_path,
        "  - id: A\n    namn: B\n    enhet: ton\n    bättre: lägre\n    värden: {2023: 1}\n"
        "    jämförelse: {Riket: {2023: .nan}}\n    mål: {värde: .inf, år: 2030}\n",
    )
    assert [(c, f) for c, _, _, f in _found(path)] == [
        ("HD906", "indikatorer[1].jämförelse.Riket.2023"),
        ("HD906", "indikatorer[1].mål.värde"),
    ]


def test_a_csv_value_too_large_and_a_target_year_that_is_no_year_name_their_cells(tmp_path: Path) -> None:
    (tmp_path / "nyckeltal.csv").write_text(
        "id;namn;enhet;bättre;målvärde;målår;år;värde\n"
        f"A;Andel;%;högre;60;0;2024;{'9' * 400}\n"
        f"A;;;;;;2025;12\n"
        f"B;Annat;%;högre;{'9' * 20};2030;2025;12\n",
        encoding="utf-8",
    )
    path = _followup_yaml(tmp_path, "  - fil: nyckeltal.csv\n")
    csv = str(tmp_path / "nyckeltal.csv")
    assert sorted(_found(path)) == [
        ("HD906", csv, 2, "värde"),
        ("HD906", csv, 4, "målvärde"),
        ("HD907", csv, 2, "målår"),
    ]


@pytest.mark.parametrize(
    ("period", "value", "code", "field"),
    [
        (2024, "NaN", "HD906", "values[1].values[1].value"),
        (2024, "Infinity", "HD906", "values[1].values[1].value"),
        (2024, "-Infinity", "HD906", "values[1].values[1].value"),
        (2024, "1e308", "HD906", "values[1].values[1].value"),
        (0, "3.1", "HD907", "values[1].period"),
        (10**12, "3.1", "HD907", "values[1].period"),
    ],
)
def test_a_kolada_value_or_period_no_chart_can_show_is_refused_at_its_record(
    tmp_path: Path, period: int, value: str, code: str, field: str
) -> None:
    record = f'{{"kpi": "N00401", "municipality": "9999", "period": {period}, "values": [{{"gender": "T", "status": "", "value": {value}}}]}}'
    other = '{"kpi": "N00401", "municipality": "9999", "period": 2023, "values": [{"gender": "T", "status": "", "value": 3.0}]}'
    (tmp_path / "kolada.json").write_text(f'{{"values": [{record}, {other}]}}', encoding="utf-8")
    path = _followup_yaml(
        tmp_path, "  - {kolada: kolada.json, kommun: '9999', namn: Utsläpp, enhet: ton, bättre: lägre}\n"
    )
    assert _found(path) == [(code, str(tmp_path / "kolada.json"), None, field)]


def test_check_followup_fails_and_miljobokslut_writes_nothing_for_a_nan_value(tmp_path: Path) -> None:
    from hallbardocs.cli import main

    path = _followup_yaml(tmp_path, "  - {id: A, namn: B, enhet: ton, bättre: lägre, värden: {2024: .nan}}\n")
    assert main(["check", str(EXAMPLE_PLAN), "--followup", str(path)]) == 1
    assert main(["miljobokslut", str(EXAMPLE_PLAN), str(path), "-o", str(tmp_path / "ut.docx")]) == 1
    assert not (tmp_path / "ut.docx").exists()


def _values(min_size: int) -> st.SearchStrategy[dict[int, float | None]]:
    """A series as validation accepts it: years 1900–2200, each value a number within ±10¹² or a gap."""
    number = st.one_of(
        st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False),
        st.sampled_from([0.42, 0.45, 0.47, 0.0, -0.0, 5e-324, 1e-300, 1e12, -1e12, 0.1 + 0.2]),
        st.integers(min_value=-(10**12), max_value=10**12).map(float),
    )
    return st.dictionaries(
        st.integers(min_value=1900, max_value=2200), st.one_of(st.none(), number), min_size=min_size, max_size=25
    )


@st.composite
def _valid_indicators(draw: st.DrawFn) -> Indicator:
    values = draw(_values(1).filter(lambda v: any(x is not None for x in v.values())))
    printable = st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn"))  # what validation leaves of a name
    names = draw(st.lists(st.text(printable, min_size=1, max_size=20).filter(str.strip), max_size=4, unique=True))
    target = draw(
        st.none()
        | st.fixed_dictionaries(
            {"värde": st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), "år": st.integers(1900, 2200)}
        )
    )
    data = _indicator(values, jämförelse={n: draw(_values(0)) for n in names}, mål=target)
    data["bättre"] = draw(st.sampled_from(["högre", "lägre"]))
    return Indicator.model_validate(data)


@settings(max_examples=examples(25))
@given(_valid_indicators())
def test_every_indicator_series_validation_accepts_can_be_drawn(indicator: Indicator) -> None:
    from hallbardocs.analysis import indicator_result
    from hallbardocs.charts import indicator_chart

    series = [indicator.values, *indicator.comparisons.values()]
    assert all(indicator_year_ok(y) for values in series for y in values)  # the strategy stays valid
    assert all(indicator_number_ok(v) for values in series for v in values.values() if v is not None)
    chart = indicator_chart(indicator, indicator_result(indicator))
    assert chart.png.startswith(b"\x89PNG") and chart.alt_text


# --- a damaged logo --------------------------------------------------------------------------------


@pytest.mark.parametrize("kept", [8, 33, 1000, -1], ids=["signature", "header", "first-chunks", "all-but-one-byte"])
def test_a_logo_cut_off_in_a_download_is_hd402_and_nothing_is_written(tmp_path: Path, kept: int) -> None:
    from hallbardocs import check_plan
    from hallbardocs.cli import main

    logo = (EXAMPLE_PLAN.parent / "logga.png").read_bytes()
    (tmp_path / "logga.png").write_bytes(logo[:kept] if kept > 0 else logo[: len(logo) - 13])
    data = plan_data()
    data["kommun"]["logotyp"] = "logga.png"
    path = _write_json(tmp_path / "plan.json", data)

    problems = check_plan(path).problems
    assert [(p.code, p.location.field if p.location else None) for p in problems] == [("HD402", "kommun.logotyp")]
    assert "skadad" in problems[0].message
    assert main(["handlingsplan", str(path), "-o", str(tmp_path / "ut.docx")]) == 1
    assert not (tmp_path / "ut.docx").exists()


def test_a_whole_logo_still_goes_into_the_document(tmp_path: Path) -> None:
    from hallbardocs import check_plan

    (tmp_path / "logga.png").write_bytes((EXAMPLE_PLAN.parent / "logga.png").read_bytes())
    data = plan_data()
    data["kommun"]["logotyp"] = "logga.png"
    result = check_plan(_write_json(tmp_path / "plan.json", data))
    assert result.problems == [] and result.plan is not None
    assert Document(str(write_handlingsplan(result.plan, tmp_path / "ut.docx"))).inline_shapes


# --- a damaged workbook ----------------------------------------------------------------------------

EXAMPLE_WORKBOOK = EXAMPLE_PLAN.with_suffix(".xlsx")


def _damaged_workbook(path: Path, sheet_part: str, change: Callable[[bytes], bytes]) -> Path:
    """The example workbook with one sheet's XML part changed; every other part as it was."""
    with zipfile.ZipFile(EXAMPLE_WORKBOOK) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            out.writestr(info, change(data) if info.filename == f"xl/worksheets/{sheet_part}.xml" else data)
    return path


@pytest.mark.parametrize(
    ("sheet_part", "change", "sheet", "words"),
    [
        ("sheet6", lambda xml: xml[: len(xml) // 2], "Åtgärder", "filen är skadad"),
        ("sheet7", lambda xml: xml.replace(b"<v>2400000</v>", b"<v>2,4 mnkr</v>", 1), "Aktiviteter", "efter rad 3"),
    ],
    ids=["truncated-sheet-xml", "number-cell-holding-text"],
)
def test_a_damaged_workbook_is_hd003_naming_the_sheet_and_nothing_is_written(
    tmp_path: Path, sheet_part: str, change: Callable[[bytes], bytes], sheet: str, words: str
) -> None:
    from hallbardocs import check_plan
    from hallbardocs.cli import main

    path = _damaged_workbook(tmp_path / "plan.xlsx", sheet_part, change)
    problems = check_plan(path).problems
    assert [(p.code, p.location.file, p.location.sheet) for p in problems if p.location] == [
        ("HD003", str(path), sheet)
    ]
    assert words in problems[0].message
    assert main(["handlingsplan", str(path), "-o", str(tmp_path / "ut.docx")]) == 1
    assert not (tmp_path / "ut.docx").exists()


def test_a_workbook_cut_off_in_a_download_is_hd003(tmp_path: Path) -> None:
    from hallbardocs import check_plan

    content = EXAMPLE_WORKBOOK.read_bytes()
    path = tmp_path / "plan.xlsx"
    path.write_bytes(content[: len(content) * 2 // 3])
    assert [p.code for p in check_plan(path).problems] == ["HD003"]


# --- no bare ValueError reaches a user -------------------------------------------------------------


def test_a_tjansteskrivelse_without_the_committee_texts_is_hd101_in_the_api(tmp_path: Path) -> None:
    from hallbardocs import render_tjansteskrivelse

    data = plan_data()
    plan = load_plan(_write_json(tmp_path / "plan.json", data))
    followup_file = tmp_path / "uppf.json"
    followup_content = followup_data(data)
    del followup_content["tjänsteskrivelse"]
    followup = load_followup(_write_json(followup_file, followup_content), plan)

    with pytest.raises(InvalidInputError) as raised:
        render_tjansteskrivelse(plan, followup)
    [problem] = raised.value.problems
    assert (problem.code, problem.location) == ("HD101", Location(str(followup_file), field="tjänsteskrivelse"))
    assert "saknar avsnittet ”tjänsteskrivelse”" in problem.message
    with pytest.raises(InvalidInputError):
        write_tjansteskrivelse(plan, followup, tmp_path / "tj.docx")
    assert not (tmp_path / "tj.docx").exists()


def test_the_command_line_prints_the_apis_hd101_with_the_follow_up_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from hallbardocs.cli import main

    data = plan_data()
    plan = _write_json(tmp_path / "plan.json", data)
    followup_content = followup_data(data)
    del followup_content["tjänsteskrivelse"]
    followup = _write_json(tmp_path / "uppf.json", followup_content)
    capsys.readouterr()

    assert main(["tjansteskrivelse", str(plan), str(followup), "-o", str(tmp_path / "tj.docx")]) == 1
    assert capsys.readouterr().err.splitlines()[-2:] == [
        f"{followup}: fel HD101: Uppföljningen saknar avsnittet ”tjänsteskrivelse”, som tjänsteskrivelsen behöver"
        " (se docs/followup.md). (fält tjänsteskrivelse)",
        "1 fel.",
    ]
    assert not (tmp_path / "tj.docx").exists()


# --- an indicator CSV whose cells do not fit its header ---------------------------------------------

CSV_HEADER = "id,namn,enhet,bättre,år,värde,källa\n"


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        ("A,Andel,%,högre,2024,12,5\n", "värde", 'skriv det inom citattecken, "12,5"'),
        ("A,Andel,%,högre,2024,12,5,Kolada\n", "värde", 'skriv det inom citattecken, "12,5"'),
        ("A,Andel,%,högre,2024,−3,25,Kolada\n", "värde", '"−3,25"'),
        (
            "A,Andel,%,högre,2024,12,Kolada,extra\n",
            "kolumn H",
            "cellen i kolumn H (”extra”) hör inte till någon kolumn",
        ),
    ],
    ids=["decimal-comma-into-källa", "decimal-comma-with-extra-cell", "negative", "cell-beyond-the-header"],
)
def test_a_csv_row_that_does_not_fit_its_header_is_an_error_naming_the_cell(row: str, field: str, words: str) -> None:
    from hallbardocs.load.indicators import read_indicator_csv

    indicators, problems = read_indicator_csv(CSV_HEADER + "A,Andel,%,högre,2023,11,Kolada\n" + row, "nyckeltal.csv")
    assert [(p.code, p.location) for p in problems] == [("HD902", Location("nyckeltal.csv", 3, field=field))]
    assert words in problems[0].message
    assert [i["värden"] for i in indicators] == [{2023: 11.0}]  # the misread row is not used


@pytest.mark.parametrize(
    "row",
    [
        'A,Andel,%,högre,2024,"12,5",Kolada\n',
        "A,Andel,%,högre,2024,12.5,5 kommuner\n",
        "A,Andel,%,högre,2024,12,Kolada,,\n",
    ],
    ids=["quoted", "decimal-point", "empty-cells-after"],
)
def test_a_csv_row_that_fits_its_header_is_read(row: str) -> None:
    from hallbardocs.load.indicators import read_indicator_csv

    indicators, problems = read_indicator_csv(CSV_HEADER + row, "nyckeltal.csv")
    assert problems == [] and len(indicators) == 1


def test_a_semicolon_csv_with_a_cell_beyond_the_header_names_it(tmp_path: Path) -> None:
    from hallbardocs.load.indicators import read_indicator_csv

    _, problems = read_indicator_csv("id;namn;enhet;bättre;år;värde\nA;Andel;%;högre;2024;12,5;x\n", "n.csv")
    assert [(p.code, p.location) for p in problems] == [("HD902", Location("n.csv", 2, field="kolumn G"))]
    assert "Raden har 7 celler men rubrikraden bara 6" in problems[0].message


def test_an_indicator_named_with_dollar_signs_is_drawn_as_written_not_as_math() -> None:
    from hallbardocs.analysis import indicator_result
    from hallbardocs.charts import indicator_chart

    indicator = Indicator.model_validate(
        _indicator({2023: 1.0, 2024: 2.0}, namn="Kostnad $ per $ invånare", enhet="$/år $", källa="$x$ och $y$")
        | {"jämförelse": {"Riket $1$": {2024: 1.5}}}
    )
    chart = indicator_chart(indicator, indicator_result(indicator))
    assert chart.png.startswith(b"\x89PNG") and "Kostnad $ per $ invånare" in chart.alt_text


def test_a_json_follow_up_with_nan_infinity_and_a_year_of_ten_to_the_twelfth_is_refused(tmp_path: Path) -> None:
    from hallbardocs import check_followup

    path = tmp_path / "uppf.json"
    path.write_text(
        '{"plan": "Handlingsplan till miljöstrategin för 2026", "period": {"typ": "helår", "år": 2026, "per": "2026-12-31"},'
        ' "indikatorer": [{"id": "A", "namn": "B", "enhet": "t", "bättre": "lägre",'
        ' "värden": {"2024": NaN, "2025": Infinity, "1000000000000": 1}}]}',
        encoding="utf-8",
    )
    result = check_followup(path, load_plan(EXAMPLE_PLAN))
    errors = result.errors
    assert result.followup is None and errors
    assert {p.code for p in errors} <= {"HD002", "HD906", "HD907"}  # the JSON loader may refuse NaN itself
    assert all(p.location is not None and p.location.file == str(path) for p in errors)
