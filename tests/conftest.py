pytest_plugins = ["tests.fixtures_search"]
