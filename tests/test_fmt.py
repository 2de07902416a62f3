from datetime import date, datetime

from app.fmt import (
    DASH,
    NNBSP,
    fr_date,
    fr_datetime,
    fr_day_month,
    fr_duration,
    fr_int,
    fr_month,
    fr_month_short,
    fr_num,
    fr_pct,
)


def test_integers_use_a_narrow_no_break_space():
    assert fr_int(1500) == f"1{NNBSP}500"
    assert fr_int(1_234_567) == f"1{NNBSP}234{NNBSP}567"
    assert fr_int(999) == "999"
    assert fr_int(0) == "0"
    assert fr_int(12.6) == "13"


def test_decimals_use_a_comma():
    assert fr_num(3.68178) == "3,7"
    assert fr_num(1234.5, 2) == f"1{NNBSP}234,50"


def test_percentages():
    assert fr_pct(0.125) == f"12,5{NNBSP}%"
    assert fr_pct(1) == f"100,0{NNBSP}%"
    assert fr_pct(0.3333, 0) == f"33{NNBSP}%"


def test_dates_in_words():
    assert fr_date(date(2020, 3, 30)) == "30 mars 2020"
    assert fr_date(date(2020, 12, 31)) == "31 décembre 2020"
    assert fr_date(date(2020, 8, 1)) == "1er août 2020"
    assert fr_date(datetime(2020, 2, 14, 10, 0)) == "14 février 2020"
    assert fr_month(date(2020, 4, 1)) == "avril 2020"
    assert fr_month_short(date(2020, 4, 1)) == "avr. 2020"
    assert fr_day_month(date(2020, 5, 11)) == "11 mai"
    assert fr_datetime(datetime(2021, 1, 4, 8, 15)) == "4 janvier 2021 à 08:15"


def test_durations():
    assert fr_duration(125) == f"2{NNBSP}min 05{NNBSP}s"
    assert fr_duration(45) == f"45{NNBSP}s"
    assert fr_duration(0) == f"0{NNBSP}s"
    assert fr_duration(3725) == f"1{NNBSP}h 02{NNBSP}min 05{NNBSP}s"
    assert fr_duration(59.6) == f"1{NNBSP}min 00{NNBSP}s"


def test_missing_values_show_a_dash():
    for formatter in (fr_int, fr_num, fr_pct, fr_duration):
        assert formatter(None) == DASH
        assert formatter(float("nan")) == DASH
    assert fr_date(None) == DASH


def test_fast_integers_equal_babel():
    from babel.numbers import format_decimal

    for value in [
        -1_234_567,
        -1500,
        -2.5,
        -1,
        0,
        0.5,
        1.5,
        2.5,
        12.6,
        999,
        1000,
        1500,
        12_345_678,
        10**12,
    ]:
        assert fr_int(value) == format_decimal(
            round(float(value)), format="#,##0", locale="fr_FR"
        ), value


def test_raw_file_label_hides_the_server_path():
    from app.fmt import raw_file_label

    assert (
        raw_file_label("/srv/obs/data/raw/produits-frais/logs/access.log.3.gz")
        == "produits-frais/logs/access.log.3.gz"
    )
    assert raw_file_label("/elsewhere/f.csv") == "f.csv"
    assert raw_file_label(None) == "—"
