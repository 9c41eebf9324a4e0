import pandas as pd


def build_features(cases: pd.DataFrame) -> pd.DataFrame:
    f = pd.DataFrame(index=cases.index)
    f["age"] = (pd.Timestamp("2024-01-01") - pd.to_datetime(cases["date_of_birth"])).dt.days // 365
    f["months_on_assistance"] = cases["months_on_assistance"]
    f["single_parent"] = (cases["household_type"] == "single_parent").astype(int)
    f["language_requirement_met"] = cases["dutch_language_requirement_met"].astype(int)
    f["address_changes_3y"] = cases["address_changes_3y"]
    f["missed_appointments"] = cases["missed_appointments"]
    return f
