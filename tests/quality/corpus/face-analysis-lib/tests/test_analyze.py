from facelens import FaceLens

img = "tests/dataset/img1.jpg"


def test_standard_analyze():
    demography_objs = FaceLens.analyze(img, actions=["emotion", "age", "gender", "race"])
    for demography in demography_objs:
        assert demography["age"] > 0
        assert demography["dominant_emotion"] in ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")


def test_verify_same_picture():
    assert FaceLens.verify(img, img)["verified"] is True
