from screener.ranker import skills_of


def test_skills_are_matched_case_insensitively():
    assert skills_of("Python and SQL, some Docker.") == ["docker", "python", "sql"]
