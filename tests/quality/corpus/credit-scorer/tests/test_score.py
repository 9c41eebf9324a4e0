from score_applicant import APPROVE, DECLINE


def test_thresholds_are_ordered():
    assert DECLINE < APPROVE
