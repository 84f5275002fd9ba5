"""records.parquet columns built from raw buffers equal pyarrow.array's, without pandas."""

from __future__ import annotations

import math
import subprocess
import sys
from decimal import Decimal

import pytest

pa = pytest.importorskip("pyarrow")

from extract.export import arrow_column  # noqa: E402

CASES = [
    (pa.string(), ["a", None, "한국어 \x00 x", "", "😀", "=1+1"] * 3),
    (pa.string(), [None, None]),
    (pa.string(), []),
    (pa.int64(), [1, None, -5, 2**62, 0, -(2**63)]),
    (pa.float64(), [1.5, None, 0.1, 3, -0.0, 1e300]),
    (pa.bool_(), [True, None, False, True, False, True, False, False, True]),
    (
        pa.decimal128(38, 4),
        [
            Decimal("1.5000"),
            None,
            Decimal("-0.0005"),
            Decimal("9999999999999999999999999999999999.9999"),
            Decimal("-9999999999999999999999999999999999.9999"),
            Decimal("12E+3"),
            Decimal("0.0000"),
            Decimal("-0"),
            Decimal("7"),
        ],
    ),
    (pa.string(), ["a", 1]),  # not all str: pyarrow's own conversion decides (it raises)
    (pa.decimal128(38, 4), [Decimal("1.23456")]),  # finer than the scale: pyarrow decides
]


@pytest.mark.parametrize(("type_", "values"), CASES)
def test_arrow_column_equals_pyarrow_array(type_, values):
    try:
        expected = pa.array(values, type=type_)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError) as exc:
        with pytest.raises(type(exc)):
            arrow_column(values, type_)
        return
    got = arrow_column(values, type_)
    got.validate(full=True)
    assert got.type == expected.type and got.null_count == expected.null_count
    assert got.equals(expected)
    assert got.to_pylist() == expected.to_pylist()


def test_float_nan_kept():
    got = arrow_column([math.nan, None], pa.float64()).to_pylist()
    assert math.isnan(got[0]) and got[1] is None


def test_writing_parquet_does_not_import_pandas(tmp_path):
    code = (
        "import sys\n"
        "from decimal import Decimal\n"
        "from extract.export import _ParquetOut\n"
        "from extract.export import RECORD_COLUMNS\n"
        f"out = _ParquetOut({str(tmp_path / 'r.parquet')!r})\n"
        "row = {c: 'x' for c in RECORD_COLUMNS}\n"
        "row.update(amount=Decimal('1.5'), amount_max=None, project_score=0.5, vague=False,"
        " start=1, end=2)\n"
        "with out:\n"
        "    out.write(row)\n"
        "print('pandas' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
    import pyarrow.parquet as pq

    table = pq.read_table(tmp_path / "r.parquet")
    assert table.column("amount").to_pylist() == [Decimal("1.5000")]
