"""The one pager every list uses: its links keep the list's filters, whichever page type."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from jaring.web.paging import Page


def pager(page, query: dict[str, str], **extra) -> str:
    request = RequestFactory().get("/list/", query)
    with translation.override("en"):
        return render_to_string("_pager.html", {"page": page, **extra}, request=request)


def test_a_middle_page_links_both_ways_and_keeps_the_filters():
    page = Page(rows=[1], number=2, has_next=True, total=120, total_capped=False)
    html = pager(page, {"status": "active", "q": "Siti & Co", "page": "2"})
    assert 'href="?status=active&amp;q=Siti+%26+Co&amp;page=1">← Previous' in html
    assert 'href="?status=active&amp;q=Siti+%26+Co&amp;page=3">Next →' in html
    assert "hx-get" not in html
    assert "Page 2" not in html  # a page without a count says nothing it would have to count


def test_the_last_of_counted_pages_says_where_it_is_and_links_back_only():
    page = Paginator(range(120), 50).get_page(3)
    html = pager(page, {"outcome": "error", "page": "3"})
    assert "Page 3 of 3" in html
    assert 'href="?outcome=error&amp;page=2"' in html
    assert "Next" not in html


def test_a_single_page_has_no_links():
    html = pager(Paginator(range(10), 50).get_page(1), {})
    assert "href" not in html and "Page 1" not in html


def test_with_a_target_the_links_load_into_it_with_htmx():
    page = Page(rows=[1], number=1, has_next=True, total=120, total_capped=False)
    html = pager(page, {"q": "siti"}, pager_target="#results")
    assert 'hx-get="?q=siti&amp;page=2" hx-target="#results" hx-push-url="true"' in html


def test_the_pager_is_a_labelled_navigation_with_prev_and_next_links():
    page = Page(rows=[1], number=2, has_next=True, total=120, total_capped=False)
    request = RequestFactory().get("/list/", {"page": "2"})
    with translation.override("id"):
        html = render_to_string("_pager.html", {"page": page}, request=request)
    assert '<nav class="pager" aria-label="Halaman">' in html
    assert 'rel="prev" href="?page=1"' in html and 'rel="next" href="?page=3"' in html
