"""Extraction quality on the fixture article pages: token precision, recall and
F1 of the extracted main text against our ground truth, and date accuracy.

    python bench/extraction.py            # per-page table and totals
    python bench/extraction.py --quiet    # totals only
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawlers.evaluate import FIXTURES, evaluate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="totals only")
    parser.add_argument("--fixtures", type=Path, default=FIXTURES, help="folder with pages/ and expected.yaml")
    args = parser.parse_args()
    scores, totals = evaluate(args.fixtures)
    if not args.quiet:
        print(f"{'page':<58} {'P':>5} {'R':>5} {'F1':>5}  date  title")
        for s in scores:
            flag = f"  ({s.error})" if s.error else ""
            print(f"{s.page[:58]:<58} {s.precision:5.2f} {s.recall:5.2f} {s.f1:5.2f}  {'ok' if s.date_ok else '--':>4}"
                  f"  {'ok' if s.title_ok else '--':>5}{flag}")
        print()
    print(f"pages: {totals['pages']}")
    print(f"text tokens (micro): precision {totals['precision']:.3f}  recall {totals['recall']:.3f}  "
          f"F1 {totals['f1']:.3f}  (macro F1 {totals['macro_f1']:.3f})")
    print(f"date accuracy: {totals['date_accuracy']:.3f}   title accuracy: {totals['title_accuracy']:.3f}")


if __name__ == "__main__":
    main()
