from collections import Counter


def table(rows, high=lambda r: r["decile_score"] >= 5):
    counts = Counter((high(r), r["two_year_recid"] == 1) for r in rows)
    tp, fp = counts[(True, True)], counts[(True, False)]
    fn, tn = counts[(False, True)], counts[(False, False)]
    return {
        "false_positive_rate": fp / max(fp + tn, 1),
        "false_negative_rate": fn / max(fn + tp, 1),
        "ppv": tp / max(tp + fp, 1),
    }


def by_group(rows, key="race"):
    groups = {}
    for r in rows:
        groups.setdefault(r[key], []).append(r)
    return {g: table(rs) for g, rs in groups.items()}
