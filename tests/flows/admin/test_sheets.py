"""flows.admin.sheets: bulk files as administrators have them (CSV of every Excel flavour, .xlsx)."""

import pytest

from flows.admin import sheets
from flows.admin.sheets import BadRow, Row, SheetError, load, parse_text, sniff_delimiter, xlsx_cells

EXPECTED_ROWS = [
    Row(2, "lra@nets.dk", "sagsbehandler", "grant"),
    Row(3, "Medlem - Bruger", "kommunal-sagsbehandler", "revoke"),
]


def test_parse_header_default_action_comments_and_line_numbers():
    text = (
        "employee,right,action\n"
        "lra@nets.dk,sagsbehandler,grant\n"
        "\n"
        "# a comment\n"
        "Medlem - Bruger, Kommunal sagsbehandler\n"
        "x@y.dk,kommunal_sagsbehandler,REVOKE\n"
    )
    rows, bad = parse_text(text)
    assert bad == []
    assert rows == [
        Row(2, "lra@nets.dk", "sagsbehandler", "grant"),
        Row(5, "Medlem - Bruger", "kommunal-sagsbehandler", "grant"),
        Row(6, "x@y.dk", "kommunal-sagsbehandler", "revoke"),
    ]


def test_parse_without_header_and_with_bom():
    rows, bad = parse_text("\ufefflra@nets.dk,sagsbehandler\n")
    assert rows == [Row(1, "lra@nets.dk", "sagsbehandler", "grant")] and bad == []


def test_header_columns_in_another_order():
    rows, bad = parse_text("right,employee\nsagsbehandler,lra@nets.dk\n")
    assert rows == [Row(2, "lra@nets.dk", "sagsbehandler", "grant")] and bad == []


def test_bad_rows_have_their_line_numbers_and_good_rows_survive():
    text = (
        "employee,right,action\n"
        "lra@nets.dk,admin\n"  # unknown right
        "lra@nets.dk\n"  # too few columns
        ",sagsbehandler\n"  # no employee
        "a@b.dk,sagsbehandler,delete\n"  # unknown action
        "a@b.dk,sagsbehandler,grant,x\n"  # too many columns
        "bruger@nets.dk,sagsbehandler\n"
    )
    rows, bad = parse_text(text)
    assert [r.line for r in rows] == [7]
    assert [b.line for b in bad] == [2, 3, 4, 5, 6]
    assert "unknown right 'admin'" in bad[0].error
    assert "got 1 column" in bad[1].error
    assert "no employee" in bad[2].error
    assert "unknown action" in bad[3].error
    assert "got 4 column" in bad[4].error
    assert not any(b.error.startswith("line") for b in bad)  # the line number is shown once, by the caller


def test_trailing_separators_are_tolerated():
    rows, bad = parse_text("lra@nets.dk,sagsbehandler,,\n")
    assert rows == [Row(1, "lra@nets.dk", "sagsbehandler", "grant")] and bad == []


def test_bad_header_stops_with_one_clear_error():
    with pytest.raises(SheetError, match="line 1: the header 'employee | recht'.*medarbejder;rettighed;handling"):
        parse_text("employee,recht\nlra@nets.dk,sagsbehandler\n")


@pytest.mark.parametrize("separator", [";", "\t", ","])
def test_the_separator_is_sniffed(separator):
    text = f"lra@nets.dk{separator}sagsbehandler\nMedlem - Bruger{separator}Kommunal sagsbehandler{separator}fjern\n"
    assert sniff_delimiter(text) == separator
    rows, bad = parse_text(text)
    assert bad == [] and rows == [
        Row(1, "lra@nets.dk", "sagsbehandler", "grant"),
        Row(2, "Medlem - Bruger", "kommunal-sagsbehandler", "revoke"),
    ]


def test_a_name_with_a_comma_in_a_semicolon_file():
    rows, bad = parse_text("Jensen, Anne;sagsbehandler;tildel\nlra@nets.dk;sagsbehandler\n")
    assert bad == [] and rows[0] == Row(1, "Jensen, Anne", "sagsbehandler", "grant")


DANISH = (
    "Medarbejder;Rettighed;Handling\nlra@nets.dk;Sagsbehandler;tildel\nMedlem - Bruger;Kommunal sagsbehandler;FJERN\n"
)


def test_danish_excel_csv_with_bom(tmp_path):
    path = tmp_path / "rettigheder.csv"
    path.write_bytes(b"\xef\xbb\xbf" + DANISH.replace("\n", "\r\n").encode("utf-8"))
    assert load(path) == (EXPECTED_ROWS, [])


def test_windows_1252_falls_back(tmp_path):
    path = tmp_path / "rettigheder.csv"
    path.write_bytes("medarbejder;rettighed\nSøren Ærø;sagsbehandler\n".encode("cp1252"))
    rows, bad = load(path)
    assert bad == [] and rows == [Row(2, "Søren Ærø", "sagsbehandler", "grant")]


def test_english_headers_any_case_and_labels_in_english(tmp_path):
    path = tmp_path / "rights.csv"
    path.write_text(
        "EMPLOYEE,Right,ACTION\nlra@nets.dk,Sagsbehandler (case officer),Grant\n"
        "Medlem - Bruger,kommunal-sagsbehandler,revoke\n",
        encoding="utf-8",
    )
    assert load(path) == (EXPECTED_ROWS, [])


def test_xlsx_first_sheet(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for values in (
        ("Medarbejder", "Rettighed", "Handling"),
        ("lra@nets.dk", "Sagsbehandler", "tildel"),
        ("Medlem - Bruger", "Kommunal sagsbehandler", "fjern"),
        (None, None, None),
    ):
        sheet.append(values)
    workbook.create_sheet("Noter").append(("not", "read", "at all"))
    path = tmp_path / "rettigheder.xlsx"
    workbook.save(path)
    assert load(path) == (EXPECTED_ROWS, [])


def test_one_column_files_get_one_message_saying_what_was_found_and_expected(tmp_path):
    path = tmp_path / "names.csv"
    path.write_text("lra@nets.dk\nbruger@nets.dk\n", encoding="utf-8")
    with pytest.raises(SheetError) as info:
        load(path)
    message = str(info.value)
    assert "found one column" in message and "'lra@nets.dk'" in message
    assert "employee,right[,action]" in message and "medarbejder;rettighed;handling" in message


@pytest.mark.parametrize(
    "name, data, words",
    [
        ("old.xls", b"\xd0\xcf\x11\xe0 old excel", ".xls file; save it as .xlsx or CSV"),
        ("broken.xlsx", b"not a zip at all", "not a readable .xlsx"),
        ("image.csv", b"\x89PNG\r\n\x1a\n\0\0\0", "not a text file"),
    ],
)
def test_unreadable_files(tmp_path, name, data, words):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(SheetError, match=words.replace(".", r"\.")):
        load(path)


def test_malformed_quotes_are_a_bad_row_not_a_crash():
    rows, bad = parse_text('lra@nets.dk,sagsbehandler\n"unterminated,sagsbehandler\n')
    assert [r.line for r in rows] == [1]
    assert [b.line for b in bad] == [2] and isinstance(bad[0], BadRow)


def _workbook(path, rows, dimension=None, extra_member=None):
    """An .xlsx of ``rows`` at ``path``; ``dimension`` written into the sheet's <dimension ref>
    as a careless (or hostile) program might; ``extra_member``: (name, bytes) added to the zip."""
    import re
    import zipfile

    from openpyxl import Workbook

    workbook = Workbook()
    for values in rows:
        workbook.active.append(values)
    workbook.save(path)
    if dimension is None and extra_member is None:
        return path
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    if dimension:
        sheet = members["xl/worksheets/sheet1.xml"].decode("utf-8")
        members["xl/worksheets/sheet1.xml"] = re.sub(
            r'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"', sheet
        ).encode()
    if extra_member:
        members[extra_member[0]] = extra_member[1]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)
    return path


GOOD = [("Medarbejder", "Rettighed", "Handling"), ("lra@nets.dk", "Sagsbehandler", "tildel")]


def test_an_xlsx_claiming_16384_columns_is_read_by_its_cells_not_its_dimension(tmp_path):
    path = _workbook(tmp_path / "wide.xlsx", GOOD, dimension="A1:XFD4")
    assert max(len(cells) for _, cells in xlsx_cells(path)) <= sheets.MAX_COLUMNS


def test_an_xlsx_claiming_the_whole_sheet_reads_its_two_rows(tmp_path):
    path = _workbook(tmp_path / "huge-dimension.xlsx", GOOD, dimension="A1:XFD1048576")
    assert path.stat().st_size < 10_000
    assert load(path) == ([Row(2, "lra@nets.dk", "sagsbehandler", "grant")], [])


def test_a_value_beyond_the_column_limit_is_one_message_naming_the_limit(tmp_path):
    wide = ("lra@nets.dk", "Sagsbehandler", "tildel", *[None] * sheets.MAX_COLUMNS, "x")
    path = _workbook(tmp_path / "wide.xlsx", [wide])
    with pytest.raises(
        SheetError, match=f"row 1 has a value in column {sheets.MAX_COLUMNS + 4}.*at most {sheets.MAX_COLUMNS} columns"
    ):
        load(path)
    csv_path = tmp_path / "wide.csv"
    csv_path.write_text("lra@nets.dk,sagsbehandler" + "," * sheets.MAX_COLUMNS + "x\n", encoding="utf-8")
    with pytest.raises(SheetError, match=f"at most {sheets.MAX_COLUMNS} columns"):
        load(csv_path)
    csv_path.write_text("lra@nets.dk,sagsbehandler" + "," * 100 + "\n", encoding="utf-8")  # empty columns are no harm
    assert load(csv_path) == ([Row(1, "lra@nets.dk", "sagsbehandler", "grant")], [])


def test_more_rows_than_the_limit_is_one_message_saying_how_to_split(tmp_path):
    path = tmp_path / "many.csv"
    path.write_text("employee,right\n" + "lra@nets.dk,sagsbehandler\n" * sheets.MAX_ROWS, encoding="utf-8")
    with pytest.raises(SheetError, match=f"more than {sheets.MAX_ROWS:,} rows.*split it into files of at most"):
        load(path)
    path.write_text("employee,right\n" + "lra@nets.dk,sagsbehandler\n" * (sheets.MAX_ROWS - 1), encoding="utf-8")
    assert len(load(path)[0]) == sheets.MAX_ROWS - 1


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("wb") as out:
        out.truncate(sheets.MAX_FILE_BYTES + 1)
    with pytest.raises(SheetError, match=r"big\.csv is 10\.0 MB; a bulk file may be at most 10 MB.*split"):
        load(path)


def test_an_xlsx_that_unpacks_beyond_the_limit_is_refused_from_its_zip_headers(tmp_path, monkeypatch):
    padding = ("xl/padding.bin", b"\0" * (sheets.MAX_XLSX_UNPACKED + 1))
    limit_mb = sheets.MAX_XLSX_UNPACKED // 1_000_000
    path = _workbook(tmp_path / "bomb.xlsx", GOOD, extra_member=padding)
    assert path.stat().st_size < 200_000
    opened = []
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: opened.append(a))
    with pytest.raises(SheetError, match=rf"bomb\.xlsx unpacks to {limit_mb}\.\d MB; at most {limit_mb} MB.*split"):
        load(path)
    assert opened == []


def test_rows_read_stop_at_the_limit_even_when_empty(tmp_path):
    path = tmp_path / "blank-lines.csv"
    path.write_text("lra@nets.dk,sagsbehandler\n" + "\n" * sheets.MAX_ROWS_READ + "x@y.dk,sagsbehandler\n")
    with pytest.raises(SheetError, match=f"goes on past line {sheets.MAX_ROWS_READ:,}.*delete the empty lines"):
        load(path)


@pytest.mark.parametrize("character", ["\0", "\x07", "\x7f", "\u200b", "\u202e"])
def test_a_control_or_invisible_character_in_a_cell_fails_that_row_only(character):
    text = f"employee,right\nlra@nets.dk,sagsbehandler\nab{character}c@nets.dk,sagsbehandler\nx@y.dk,sagsbehandler\n"
    rows, bad = parse_text(text)
    assert [row.line for row in rows] == [2, 4]
    [problem] = bad
    assert problem.line == 3 and f"U+{ord(character):04X}" in problem.error and "employee" in problem.error
    assert character not in problem.text and problem.text.startswith("ab\\")  # shown escaped


def test_a_nul_in_one_cell_of_a_file_is_that_row_not_a_binary_file(tmp_path):
    path = tmp_path / "rights.csv"
    path.write_bytes(b"lra@nets.dk;sagsbehandler\nbruger@nets.dk;sagsbehandler\x00\nx@y.dk;sagsbehandler\n")
    rows, bad = load(path)
    assert [row.line for row in rows] == [1, 3] and [b.line for b in bad] == [2] and "right" in bad[0].error


def test_a_control_character_in_an_xlsx_cell_fails_that_row_only(tmp_path):
    path = _workbook(tmp_path / "rights.xlsx", [*GOOD, ("bruger@nets.dk", "Sagsbe\x85handler", "tildel")])
    rows, bad = load(path)
    assert [row.line for row in rows] == [2] and [b.line for b in bad] == [3] and "U+0085" in bad[0].error


def test_one_windows_1252_line_in_a_utf8_file_is_named_and_nothing_is_garbled(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        "medarbejder;rettighed\nSøren Ærø;sagsbehandler\n".encode()
        + "Åse Bøgh;sagsbehandler\n".encode("cp1252")
        + "Ida Ørsted;sagsbehandler\n".encode()
    )
    with pytest.raises(SheetError) as info:
        load(path)
    message = str(info.value)
    assert "line 3 is not UTF-8" in message and "line 2" in message and "CSV UTF-8" in message
    assert "Ã" not in message


def test_utf8_with_and_without_bom_is_never_read_as_windows_1252(tmp_path):
    path = tmp_path / "names.csv"
    for bom in (b"", b"\xef\xbb\xbf"):
        path.write_bytes(bom + "Søren Ærø;sagsbehandler\n".encode())
        assert load(path)[0] == [Row(1, "Søren Ærø", "sagsbehandler", "grant")]


def test_bytes_neither_utf8_nor_windows_1252_name_their_line(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_bytes(b"lra@nets.dk;sagsbehandler\nb\x81@x.dk;sagsbehandler\n")
    with pytest.raises(SheetError, match=r"line 2 .*0x81.*neither UTF-8 nor Windows-1252"):
        load(path)
