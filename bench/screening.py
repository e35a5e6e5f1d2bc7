"""Speed, memory and accuracy of the screening engine (aircop.screening.matcher) on a synthetic
watchlist, against rapidfuzz's brute-force cdist.

    .venv/bin/python -m bench.screening                        # 1,000,000 entries, 400 passengers
    .venv/bin/python -m bench.screening --entries 20000 --labelled-entries 20000
    .venv/bin/python -m bench.screening --profile              # cProfile of one manifest screening

All data comes from bench.screening_data (deterministic for --seed; how the names, entries and
the labelled set are built is described there). In this process, in order:

1. Speed. A watchlist of --entries entries (Latin, Arabic and Cyrillic names with 1-3 aliases)
   holding the entries of the --planted listed people of a --passengers manifest (the others
   are drawn from the same name pools, so many are namesakes of someone). Index build: wall
   time, and memory as RSS growth over the build (VmRSS of /proc/self/status, the watchlist
   itself already in memory) and the process's peak RSS (VmHWM, reset before the build where
   the kernel allows it). Screening the manifest (Index.screen for each passenger at the
   default threshold): the first run, then p50 of --repeat runs; the slowest passengers; the
   hits (planted people found, namesakes by construction, others); the number of candidates
   the engine scored per passenger at the default threshold (one more run, not timed), and
   the number the names alone yield (a run at threshold 0, which cuts nothing: every candidate
   gets a score in [0, 1]); with --profile, a cProfile of one run.
2. Baseline in the same run: rapidfuzz.process.cdist of the passengers' full names against
   every name and alias of every entry (both folded to ASCII by normalise.fold first, not
   timed), scorer fuzz.token_sort_ratio (order-insensitive, like the engine), one worker (the
   engine uses one core), in chunks; with --baseline-entries N only the first N entries are
   compared and the time is extrapolated linearly to the whole list (said in the output).
   Ratio = baseline / the engine's p50.
3. Accuracy. A second watchlist of --labelled-entries entries holding the --labelled listed
   people, one traveller per person under a variation and --negatives hard negatives
   (bench.screening_data). Every traveller is screened at threshold 0.6 and the figures are
   computed for the default threshold and a few others (the scores do not depend on the
   threshold). Recall = positives whose listed entry is hit; precision = hits on the right
   entry / all hits, where a hit on another entry is false unless that entry is a namesake by
   construction (same names, compatible date of birth: counted apart as "ambiguous"). Then
   recall per variation, cross-script recall, false positives per kind of negative, the 10
   worst misses (the listed entry's score and reasons at threshold 0) and the 10 worst false
   positives with their reasons.

Exits 0 whatever the figures."""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import random
import time
from collections import Counter, defaultdict
from contextlib import suppress
from pathlib import Path

from rapidfuzz import fuzz, process

from aircop.screening.matcher import normalise
from aircop.screening.matcher.engine import DEFAULT_THRESHOLD, Index
from bench import screening_data
from bench.common import code_version, describe_machine, log, percentile

TARGET_SCREEN_S = 1.0
TARGET_BUILD_S = 60.0
TARGET_MEMORY_MB = 2048
TARGET_RECALL = 0.95
TARGET_PRECISION = 0.90
THRESHOLDS = (0.7, 0.75, 0.8, 0.85, 0.9)
LOW_THRESHOLD = 0.6
BASELINE_CHUNK = 200_000  # names per cdist call (400 x 200,000 bytes of scores)


def memory_mb() -> tuple[float, float]:
    """(VmRSS, VmHWM) of this process in MB."""
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            values[line.split(":")[0]] = int(line.split()[1]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0)."""
    with suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
        return True
    return False


def describe(person) -> str:
    dob = person.date_of_birth.isoformat() if person.date_of_birth else "-"
    return f"{person.surname} / {person.given_names} ({dob}, {person.nationality}, {person.sex})"


def describe_entry(entry) -> str:
    return f"{entry.id} {' | '.join(entry.names)} ({entry.date_of_birth or '-'}, {entry.nationality}, {entry.sex})"


def yes(ok: bool) -> str:
    return "met" if ok else "MISSED"


# ============================================================================ speed
def screen_all(index: Index, travellers, threshold: float = DEFAULT_THRESHOLD):
    per, hits = [], []
    for person in travellers:
        t = time.perf_counter()
        found = index.screen(person, threshold)
        per.append(time.perf_counter() - t)
        hits.append(found)
    return per, hits


def speed(args, gen: screening_data.Generator) -> None:
    rng = random.Random(args.seed)
    cases = gen.manifest(args.passengers, args.planted, rng)
    planted = [c for c in cases if c.positive]
    log(f"generating {args.entries:,} entries")
    t = time.perf_counter()
    watchlist = gen.watchlist(args.entries, planted, rng, progress=lambda n: log(f"  {n:,} entries"))
    generated = time.perf_counter() - t
    names = sum(len(e.names) for e in watchlist.entries)
    scripts = Counter()
    for e in watchlist.entries:
        for text in e.names:
            scripts["arabic" if any("\u0600" <= ch <= "\u06ff" for ch in text) else
                    "cyrillic" if any("\u0400" <= ch <= "\u04ff" for ch in text) else "latin"] += 1  # fmt: skip
    print()
    print(f"== Watchlist: {args.entries:,} entries, {names:,} names and aliases "
          f"({', '.join(f'{k} {v / names:.0%}' for k, v in scripts.most_common())}); generated in {generated:.1f} s")  # fmt: skip
    gc.collect()
    rss0, _ = memory_mb()
    peak_reset = reset_peak()
    log("building the index")
    t = time.perf_counter()
    index = Index(watchlist.entries)
    build = time.perf_counter() - t
    rss1, hwm = memory_mb()
    growth = rss1 - rss0
    print(
        f"   index build: {build:.1f} s ({len(index.tokens):,} distinct tokens, {len(index.by_skeleton):,} "
        f"skeleton keys, {len(index.by_deletion):,} deletion keys)"
    )
    print(
        f"   memory: RSS {rss0:,.0f} MB before the build (watchlist loaded), {rss1:,.0f} MB after: "
        f"+{growth:,.0f} MB for the index; peak RSS {hwm:,.0f} MB"
        + ("" if peak_reset else " (peak not reset: includes generation)")
    )
    print(f"   targets: build < {TARGET_BUILD_S:.0f} s {yes(build < TARGET_BUILD_S)}; index memory < "
          f"{TARGET_MEMORY_MB:,} MB {yes(growth < TARGET_MEMORY_MB)} (process peak {yes(hwm < TARGET_MEMORY_MB)})")  # fmt: skip

    travellers = [c.traveller for c in cases]
    log(f"screening {len(travellers)} passengers, {args.repeat} runs after a first one")
    first, hits = screen_all(index, travellers)
    runs = []
    for _ in range(args.repeat):
        per, _ = screen_all(index, travellers)
        runs.append(sum(per))
    p50 = percentile(sorted(runs), 50)
    per_sorted = sorted(per)
    print()
    print(f"== Screening {len(travellers)} passengers against {args.entries:,} entries "
          f"(threshold {DEFAULT_THRESHOLD}, one process)")  # fmt: skip
    print(f"   first run {sum(first):.3f} s; p50 of {args.repeat} runs {p50:.3f} s "
          f"(min {min(runs):.3f}, max {max(runs):.3f}); target < {TARGET_SCREEN_S:.0f} s {yes(p50 < TARGET_SCREEN_S)}")  # fmt: skip
    print(f"   per passenger (last run): p50 {percentile(per_sorted, 50) * 1000:.2f} ms, "
          f"p95 {percentile(per_sorted, 95) * 1000:.2f} ms, max {per_sorted[-1] * 1000:.1f} ms")  # fmt: skip
    slow = sorted(range(len(travellers)), key=lambda i: -per[i])[:5]
    print("   slowest: " + "; ".join(f"{describe(travellers[i])} {per[i] * 1000:.0f} ms" for i in slow))
    by_region = defaultdict(float)
    for c, seconds in zip(cases, per, strict=True):
        by_region[c.origin] += seconds
    print("   time by the passenger's region: " + ", ".join(
        f"{k} {v:.3f} s" for k, v in sorted(by_region.items(), key=lambda kv: -kv[1])))  # fmt: skip
    entries_by_id = {e.id: n for n, e in enumerate(watchlist.entries)}
    found = namesake = other = 0
    alerted = sum(1 for h in hits if h)
    for case, case_hits in zip(cases, hits, strict=True):
        for h in case_hits:
            n = entries_by_id[h.entry_id]
            if case.positive and h.entry_id == case.target:
                found += 1
            elif screening_data.compatible(
                case.key,
                case.traveller.sex,
                case.traveller.date_of_birth,
                watchlist.entries[n],
                watchlist.keys[n],
            ):
                namesake += 1
            else:
                other += 1
    total = sum(len(h) for h in hits)
    print(f"   hits: {total} on {alerted} passengers; planted listed people found {found} of {len(planted)} "
          f"({', '.join(sorted(c.kind for c in planted))}); hits on namesakes by construction {namesake}; "
          f"other hits {other}")  # fmt: skip
    # Candidates scored at the default threshold (after the cut by year of birth and the bound
    # check) against all the candidates the names alone yield (threshold 0: no cut).
    scored = []
    for p in travellers:
        before = index.scored
        index.screen(p)
        scored.append(index.scored - before)
    scored.sort()
    print(f"   candidates scored per passenger at the default threshold: p50 {percentile(scored, 50):,}, "
          f"p95 {percentile(scored, 95):,}, max {scored[-1]:,}; {sum(scored):,} in all")  # fmt: skip
    candidates = sorted(len(index.screen(p, 0.0)) for p in travellers)
    print(f"   candidates by name alone (threshold 0, no cut): p50 {percentile(candidates, 50):,}, "
          f"p95 {percentile(candidates, 95):,}, max {candidates[-1]:,}; {sum(candidates):,} in all")  # fmt: skip
    for case, case_hits in zip(cases, hits, strict=True):
        if case.positive and case.target not in {h.entry_id for h in case_hits}:
            target = next((h for h in index.screen(case.traveller, 0.0) if h.entry_id == case.target), None)
            print(f"   missed planted [{case.kind}] {describe(case.traveller)} -> "
                  f"{describe_entry(watchlist.entries[entries_by_id[case.target]])}: "
                  + (f"score {target.score:.3f}: " + " | ".join(target.reasons) if target else "not a candidate"))  # fmt: skip
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        screen_all(index, travellers)
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(12)
        print("   cProfile of one run (by own time):")
        print("\n".join("     " + line for line in out.getvalue().splitlines() if line.strip()))

    # ------------------------------------------------------------------ the baseline
    log("baseline: folding names")
    queries = [normalise.fold(f"{p.given_names} {p.surname}") for p in travellers]
    sample = watchlist.entries[: args.baseline_entries] if args.baseline_entries else watchlist.entries
    choices = [normalise.fold(text) for e in sample for text in e.names]
    all_names = names
    log(f"baseline: cdist over {len(queries)} x {len(choices):,} names")
    t = time.perf_counter()
    over = 0
    for start in range(0, len(choices), BASELINE_CHUNK):
        scores = process.cdist(
            queries,
            choices[start : start + BASELINE_CHUNK],
            scorer=fuzz.token_sort_ratio,
            dtype="uint8",
            workers=1,
        )
        over += int((scores >= 90).sum())
    measured = time.perf_counter() - t
    extrapolated = measured * all_names / len(choices)
    print()
    print(
        "== Baseline: rapidfuzz.process.cdist(passengers, every entry name, scorer=fuzz.token_sort_ratio, workers=1)"
    )
    if len(choices) < all_names:
        print(f"   measured on the first {len(sample):,} entries ({len(choices):,} names): {measured:.2f} s, "
              f"EXTRAPOLATED linearly to {all_names:,} names: {extrapolated:.1f} s")  # fmt: skip
    else:
        print(f"   {len(queries)} x {len(choices):,} = {len(queries) * len(choices):,} pairs in {measured:.1f} s "
              f"({len(queries) * len(choices) / measured / 1e6:.0f} M pairs/s); {over:,} pairs scored >= 90")  # fmt: skip
    print(f"   ratio baseline / engine p50: {extrapolated / p50:.1f}x "
          f"(engine {p50:.3f} s, baseline {extrapolated:.1f} s)")  # fmt: skip
    del index, watchlist, choices, queries
    gc.collect()


# ============================================================================ accuracy
def accuracy(args, gen: screening_data.Generator) -> None:
    rng = random.Random(args.seed + 1)
    negatives = args.labelled if args.negatives is None else args.negatives
    log(
        f"labelled set: {args.labelled} listed people in {args.labelled_entries:,} entries, {negatives} negatives"
    )
    watchlist, cases = gen.labelled(args.labelled, negatives, args.labelled_entries, rng)
    t = time.perf_counter()
    index = Index(watchlist.entries)
    build = time.perf_counter() - t
    by_id = {e.id: n for n, e in enumerate(watchlist.entries)}
    log("screening the labelled travellers")
    t = time.perf_counter()
    results = [index.screen(c.traveller, LOW_THRESHOLD) for c in cases]
    screened = time.perf_counter() - t
    positives = [c for c in cases if c.positive]
    negs = [c for c in cases if not c.positive]
    made = Counter(c.kind for c in negs)
    print()
    print(
        f"== Accuracy: {len(positives):,} listed people under a variation + {len(negs):,} hard negatives, "
        f"watchlist of {len(watchlist.entries):,} entries (index {build:.1f} s; "
        f"{screened / len(cases) * 1000:.1f} ms per traveller at threshold {LOW_THRESHOLD})"
    )
    if len(negs) < negatives:
        print(f"   ({negatives - len(negs)} negatives could not be drawn without a namesake on the list)")

    def classify(threshold: float):
        tp, fp, ambiguous, fps = 0, 0, 0, []
        found = {}
        for case, hits in zip(cases, results, strict=True):
            hit_target = False
            for h in hits:
                if h.score < threshold:
                    continue
                if case.positive and h.entry_id == case.target:
                    tp += 1
                    hit_target = True
                    continue
                n = by_id[h.entry_id]
                t = case.traveller
                if screening_data.compatible(
                    case.key, t.sex, t.date_of_birth, watchlist.entries[n], watchlist.keys[n]
                ):
                    ambiguous += 1
                else:
                    fp += 1
                    fps.append((h, case))
            if case.positive:
                found[case.traveller.id] = hit_target
        return tp, fp, ambiguous, fps, found

    print("   | threshold | recall | precision | cross-script recall | hits (right / wrong / ambiguous) |")
    print("   |---|---|---|---|---|")
    cross = [c for c in positives if c.cross_script]
    for threshold in THRESHOLDS:
        tp, fp, ambiguous, _, found = classify(threshold)
        recall = sum(found.values()) / len(positives)
        precision = tp / (tp + fp) if tp + fp else float("nan")
        cross_recall = sum(found[c.traveller.id] for c in cross) / len(cross) if cross else float("nan")
        mark = " (default)" if threshold == DEFAULT_THRESHOLD else ""
        print(f"   | {threshold}{mark} | {recall:.3f} | {precision:.3f} | {cross_recall:.3f} | "
              f"{tp} / {fp} / {ambiguous} |")  # fmt: skip

    tp, fp, ambiguous, fps, found = classify(DEFAULT_THRESHOLD)
    recall = sum(found.values()) / len(positives)
    precision = tp / (tp + fp) if tp + fp else float("nan")
    cross_recall = sum(found[c.traveller.id] for c in cross) / len(cross)
    print()
    print(f"   at the default threshold {DEFAULT_THRESHOLD}: recall {recall:.3f} (target {TARGET_RECALL}: "
          f"{yes(recall >= TARGET_RECALL)}), precision {precision:.3f} (target {TARGET_PRECISION}: "
          f"{yes(precision >= TARGET_PRECISION)}), cross-script recall {cross_recall:.3f} ({len(cross)} travellers); "
          f"{ambiguous} hits on namesakes by construction not counted")  # fmt: skip
    print("   recall per variation:")
    for kind in screening_data.POSITIVE_KINDS:
        group = [c for c in positives if c.kind == kind]
        if group:
            got = sum(found[c.traveller.id] for c in group)
            print(f"     {kind:<28} {got / len(group):.3f} ({got}/{len(group)})")
    origin = defaultdict(list)
    for c in positives:
        origin[c.origin].append(found[c.traveller.id])
    print("   recall per region of the listed person: " + ", ".join(
        f"{k} {sum(v) / len(v):.3f} ({len(v)})" for k, v in sorted(origin.items())))  # fmt: skip
    negative_hit = defaultdict(set)
    for _, case in fps:
        if not case.positive:
            negative_hit[case.kind].add(case.traveller.id)
    print("   negatives with a false hit, per kind:")
    for kind in screening_data.NEGATIVE_KINDS:
        n = made[kind]
        if n:
            print(f"     {kind:<34} {len(negative_hit[kind]) / n:.3f} ({len(negative_hit[kind])}/{n})")
    wrong_entry = sum(1 for _, c in fps if c.positive)
    print(f"   false hits of positives on another entry: {wrong_entry}")
    evidence = Counter()
    for h, _ in fps:
        dob = next((r.split(":", 1)[1].strip() for r in h.reasons if r.startswith("date of birth:")), "none")
        name = (
            float(h.reasons[0].split(":")[0].split()[1])
            if h.reasons and h.reasons[0].startswith("name ")
            else 0
        )
        evidence[(dob, "name >= 0.95" if name >= 0.95 else "name < 0.95")] += 1
    print("   false positives by date-of-birth evidence and name score: " + "; ".join(
        f"{dob}, {name}: {n}" for (dob, name), n in evidence.most_common()))  # fmt: skip

    # ------------------------------------------------------------------ worst cases
    missed = [c for c in positives if not found[c.traveller.id]]
    rows = []
    for case in missed:
        target = None
        for h in index.screen(case.traveller, 0.0):
            if h.entry_id == case.target:
                target = h
                break
        rows.append((target.score if target else -1.0, case, target))
    rows.sort(key=lambda r: r[0])
    print()
    not_candidates = sum(1 for r in rows if r[2] is None)
    print(f"-- {len(missed)} misses ({not_candidates} where the listed entry was not even a candidate); "
          f"by variation: {dict(Counter(c.kind for c in missed).most_common())}")  # fmt: skip
    print("   the 10 worst (lowest score of the listed entry first):")
    for score, case, hit in rows[:10]:
        entry = watchlist.entries[by_id[case.target]]
        print(f"   * [{case.kind}{', cross-script' if case.cross_script else ''}] {describe(case.traveller)}")
        print(f"     listed: {describe_entry(entry)}")
        if hit is None:
            print("     not a candidate")
        else:
            print(f"     score {score:.3f}: " + " | ".join(hit.reasons))
    nearest = [r for r in rows[10:] if r[2] is not None][-10:][::-1]
    if nearest:
        print(f"   the {len(nearest)} nearest other misses (highest score below the threshold):")
        for score, case, hit in nearest:
            entry = watchlist.entries[by_id[case.target]]
            print(f"   * [{case.kind}] {describe(case.traveller)} -> {describe_entry(entry)}")
            print(f"     score {score:.3f}: " + " | ".join(hit.reasons))
    fps.sort(key=lambda r: -r[0].score)
    print()
    print(f"-- {len(fps)} false positives; the 10 worst (highest score first):")
    for h, case in fps[:10]:
        entry = watchlist.entries[by_id[h.entry_id]]
        derived = f", derived from {case.target}" if not case.positive else f", is {case.target}"
        print(f"   * [{case.kind}{derived}] {describe(case.traveller)}")
        print(f"     hit: {describe_entry(entry)}")
        print(f"     score {h.score:.3f}: " + " | ".join(h.reasons))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--entries", type=int, default=1_000_000, help="watchlist entries (default 1,000,000)"
    )
    parser.add_argument("--passengers", type=int, default=400, help="manifest size (default 400)")
    parser.add_argument(
        "--planted", type=int, default=8, help="listed people among the passengers (default 8)"
    )
    parser.add_argument(
        "--repeat", type=int, default=5, help="timed screening runs after the first (default 5)"
    )
    parser.add_argument(
        "--baseline-entries",
        type=int,
        default=0,
        help="compare only the first N entries and extrapolate (0 = all)",
    )
    parser.add_argument(
        "--labelled", type=int, default=2000, help="listed people in the labelled set (2,000)"
    )
    parser.add_argument(
        "--negatives", type=int, default=None, help="hard negatives (default: as many as --labelled)"
    )
    parser.add_argument(
        "--labelled-entries", type=int, default=100_000, help="watchlist of the labelled set (100,000)"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--profile", action="store_true", help="cProfile one screening run of the manifest")
    parser.add_argument("--skip-speed", action="store_true", help="accuracy only")
    parser.add_argument("--skip-accuracy", action="store_true", help="speed only")
    args = parser.parse_args()

    print(describe_machine())
    print(code_version())
    print(
        f"seed {args.seed}; {args.entries:,} entries, {args.passengers} passengers ({args.planted} listed); "
        f"labelled set {args.labelled:,} + {args.labelled if args.negatives is None else args.negatives:,} "
        f"negatives in {args.labelled_entries:,} entries"
    )
    started = time.perf_counter()
    gen = screening_data.Generator(args.seed)
    if not args.skip_speed:
        speed(args, gen)
    if not args.skip_accuracy:
        accuracy(args, gen)
    print()
    print(f"total {time.perf_counter() - started:.0f} s; {describe_machine()}")


if __name__ == "__main__":
    main()
