def test_labels_are_known():
    assert {"negative", "neutral", "positive"} >= {"positive"}
