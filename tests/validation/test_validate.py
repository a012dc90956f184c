"""Unit tests of the validation driver's own logic (no real measurement):
the match rule, reading a recorded run, finding the scenarios, scenario 1's
take pattern.

    python3 tests/validation/test_validate.py      (make validate-check)
"""

import io
import os
import sys
import tempfile
import unittest
from contextlib import redirect_stderr
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
import validate  # noqa: E402


def row(real, lo, hi, sim):
    return validate.Row("s", "m", real, lo, hi, sim)


class MatchRule(unittest.TestCase):
    def test_within_ten_percent_of_the_median(self):
        self.assertEqual(validate.matches(row(100, None, None, 110)), "yes")
        self.assertEqual(validate.matches(row(100, None, None, 89)), "no")

    def test_inside_a_wider_spread(self):
        self.assertEqual(validate.matches(row(100, 60, 150, 140)), "yes")
        self.assertEqual(validate.matches(row(100, 60, 150, 151)), "no")

    def test_a_narrow_spread_still_allows_ten_percent(self):
        self.assertEqual(validate.matches(row(100, 99, 101, 108)), "yes")

    def test_zero_and_unknown(self):
        self.assertEqual(validate.matches(row(0, None, None, 0)), "yes")
        self.assertEqual(validate.matches(row(0, None, None, 0.01)), "no")
        self.assertEqual(validate.matches(row(None, None, None, 3)), "")

    def test_a_calibrating_row_is_not_judged(self):
        cal = validate.Row("s", "m", 100, None, None, 300, calibrates=True)
        self.assertEqual(validate.matches(cal), "calibration")
        self.assertEqual(validate.matches(validate.Row("s", "m", None, None, None, 3,
                                                       calibrates=True)), "")


class Recorded(unittest.TestCase):
    def load(self, text):
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as fh:
            fh.write(text)
        err = io.StringIO()
        try:
            with redirect_stderr(err):
                return validate.load_recorded(fh.name), err.getvalue()
        except SystemExit as e:
            return e.code, err.getvalue().replace(fh.name, "FILE")
        finally:
            os.unlink(fh.name)

    def test_reads_median_and_spread(self):
        got, _ = self.load("# c\nscenario,metric,real,real_min,real_max\n"
                           "calibration,ns_per_iteration,42,,\n1_x,m a,2,1,3\n")
        self.assertEqual(got[("1_x", "m a")], (2.0, 1.0, 3.0))
        self.assertEqual(got[("calibration", "ns_per_iteration")], (42.0, None, None))

    def test_a_bad_row_is_refused_with_its_line(self):
        code, err = self.load("scenario,metric,real,real_min,real_max\n"
                              "calibration,ns_per_iteration,42,,\n1_x,m,2,1,\n")
        self.assertEqual(code, 2)
        self.assertIn("FILE:3: expected scenario,metric,real,real_min,real_max", err)

    def test_the_old_three_column_form_is_refused(self):
        code, err = self.load("calibration,ns_per_iteration,42\n")
        self.assertEqual(code, 2)
        self.assertIn("FILE:1:", err)

    def test_no_calibration(self):
        code, err = self.load("1_x,m,2,,\n")
        self.assertEqual(code, 2)
        self.assertIn("needs a row calibration,ns_per_iteration", err)


class Scenarios(unittest.TestCase):
    def test_every_scenario_file_is_found_once_in_order(self):
        mods = validate.find_scenarios()
        files = sorted(validate.HERE.glob("scen_[0-9][0-9]_*.py"))
        self.assertEqual(len(mods), len(files))
        numbers = [m.NUMBER for m in mods]
        self.assertEqual(numbers, sorted(set(numbers)))
        for m in mods:
            self.assertTrue(m.TITLE.startswith(f"{m.NUMBER}_"), m.TITLE)
            self.assertTrue(callable(m.run))
            self.assertGreaterEqual(m.FULL["reps"], 3, f"{m.TITLE}: full mode needs "
                                    "at least 3 repetitions")


class TakePattern(unittest.TestCase):
    """Scenario 1's take-backs and first-half/second-half correlation."""

    def setUp(self):
        self.take_pattern = validate.importlib.import_module("scen_01_cpu_threads").take_pattern

    def test_a_rotation_has_no_take_backs(self):
        takes = [(i * 10, "abc"[i % 3]) for i in range(30)]
        self.assertEqual(self.take_pattern(takes, 300)[0], 0.0)

    def test_ping_pong_is_all_take_backs(self):
        takes = [(i * 10, "ab"[i % 2]) for i in range(30)]
        self.assertEqual(self.take_pattern(takes, 300)[0], 1.0)

    def test_takes_outside_the_window_do_not_count(self):
        takes = [(-10, "a"), (0, "b"), (10, "c"), (20, "a"), (30, "b"), (300, "a")]
        self.assertEqual(self.take_pattern(takes, 300)[0], 0.0)

    def test_a_lasting_bias_correlates_and_a_swap_does_not(self):
        # a holds 3 units per round and b 1, in both halves: correlation 1
        steady = [(t, w) for r in range(10) for t, w in ((r * 4, "a"), (r * 4 + 3, "b"))]
        self.assertAlmostEqual(self.take_pattern(steady, 40)[1], 1.0)
        # the halves swap who holds longer: correlation -1
        swap = [(t, w) for r in range(10) for t, w in
                (((r * 4, "a"), (r * 4 + 3, "b")) if r < 5 else ((r * 4, "a"), (r * 4 + 1, "b")))]
        self.assertAlmostEqual(self.take_pattern(swap, 40)[1], -1.0)


class WarmupCopy(unittest.TestCase):
    """Scenario 11's fresh copy of the counter loop runs on its own."""

    def test_the_copy_counts_and_sees_one_switch(self):
        loop = validate.importlib.import_module("s11_warmup").fresh_count()
        self.assertEqual(loop(0, 1000), (1000, 1))


if __name__ == "__main__":
    unittest.main()
