"""Read an Odoo log and fail on warnings, errors, and failed or skipped tests.

Usage: check_odoo_log.py [--tests] LOGFILE
With --tests, the log must also report at least one test run by Odoo's runner.
"""

import re
import sys

LEVEL = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) ")
RESULT = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests")
SKIPPED = re.compile(r" INFO \S+ odoo\.tests\.result: skipped ")

# what Odoo always says when it runs as root on a development machine
HARMLESS = ("Running as user 'root' is a security risk",)


def main(argv):
    expect_tests = "--tests" in argv
    path = next(a for a in argv if not a.startswith("--"))
    with open(path, encoding="utf-8", errors="replace") as log:
        lines = log.read().splitlines()

    problems = [
        line
        for line in lines
        if LEVEL.match(line) and not any(text in line for text in HARMLESS)
    ]
    skipped = [line for line in lines if SKIPPED.search(line)]
    failed = errors = run = 0
    for line in lines:
        match = RESULT.search(line)
        if match:
            failed += int(match[1])
            errors += int(match[2])
            run += int(match[3])

    for line in problems:
        print(f"{path}: {line}")
    for line in skipped:
        print(f"{path}: a skipped Odoo test counts as a failure: {line}")
    ok = not problems and not skipped
    if expect_tests:
        bad = failed + errors
        print(f"odoo: {run - bad - len(skipped)} passed, {bad + len(skipped)} failed")
        ok = ok and run > 0 and not bad
        if not run:
            print(f"{path}: Odoo's test runner ran no test")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
