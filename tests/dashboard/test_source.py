"""Which store the page shows, and whether it may be served at all."""
from dashboard.source import NETWORK_VAR, exposure_problem


def test_a_local_server_is_served_and_a_network_one_only_when_asked_for() -> None:
    for address in ("localhost", "127.0.0.1", "::1"):
        assert exposure_problem(address, {}) is None
    for address in ("0.0.0.0", "", None, "192.168.1.5"):
        problem = exposure_problem(address, {})
        assert problem and NETWORK_VAR in problem
        assert exposure_problem(address, {NETWORK_VAR: "1"}) is None
