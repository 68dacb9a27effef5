"""A fresh server's first visit to the home page (benchmarks/cold.py times it against the bare page)."""

import pytest

from benchmarks.cold import APP, cold_visit

pytestmark = pytest.mark.e2e


def test_home_page_of_a_fresh_server_draws_without_loading_torch(browser):
    visit = cold_visit(browser, APP)
    assert visit["first_render_s"] < 60
    assert not visit["torch"], "the home page loaded PyTorch: only the training page may import it"
