import threading

from beaker import Beaker


def test_session_cookie_is_signed():
    app = Beaker(__name__)
    app.secret_key = "test key"

    @app.route("/")
    def index():
        return "ok"

    with app.test_client() as c:
        assert c.get("/").status_code == 200


def test_concurrent_first_requests():
    # Two threads hit the app before it has finished setup: regression test for a race
    # condition in the before-first-request hooks.
    app = Beaker(__name__)
    results = []
    threads = [threading.Thread(target=lambda: results.append(app.test_client().get("/").status_code)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 2
