import sys

import pandas as pd
from jinja2 import Environment, FileSystemLoader

CONDITIONS = ["diabetes", "chronic_kidney_disease", "hypertension", "hiv_positive", "organ_transplant"]


def indicators(df: pd.DataFrame) -> pd.DataFrame:
    out = df.groupby("district")[CONDITIONS].sum()
    out["patients"] = df.groupby("district").size()
    return out.reset_index()


if __name__ == "__main__":
    df = pd.read_csv(sys.argv[1], true_values=["true"], false_values=["false"])
    env = Environment(loader=FileSystemLoader("reports/templates"))
    html = env.get_template("report.html.j2").render(rows=indicators(df).to_dict("records"))
    open(sys.argv[2], "w").write(html)
