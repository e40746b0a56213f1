"""Property-based fuzzing of the API from its own OpenAPI description: no input gives a server error.

The app runs in reverse-proxy mode for the fuzzer (the test client is the
trusted proxy and names the user), so every generated request reaches the
handlers instead of stopping at the login check.
"""
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.veille.web.conftest import bind


@pytest.fixture
def api_schema(newsweb, config):
    from veille.web.app import create_app

    proxied = bind(newsweb, config.data_dir, auth="proxy", trusted_proxies=["testclient"])
    app = create_app(proxied)
    return schemathesis.openapi.from_asgi("/api/openapi.json", app)


def test_no_input_makes_the_api_fail(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None,
                  derandomize=True)  # the same examples on every CI run; raise max_examples to explore
        def no_server_error(case):
            case.call_and_validate(headers={"X-Remote-User": "fuzzer"}, checks=[not_a_server_error])

        no_server_error()
