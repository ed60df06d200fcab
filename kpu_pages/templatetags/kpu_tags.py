import hashlib

from django import template
from django.core.cache import cache

from wagtail.models import Page, Site

from kpu_site.caching.fragments import fragment, fragment_seconds, request_generation

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The header navigation: live children of the site root marked "tampilkan di menu"."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    current = context.get("page")
    current_path = current.path if isinstance(current, Page) else None
    return [
        {"title": title, "url": url, "active": bool(current_path and current_path.startswith(path))}
        for title, url, path in fragment(request, ("menu", site.pk), lambda: _menu_entries(request, site))
    ]


def _menu_entries(request, site) -> list[tuple[str, str, str]]:
    pages = (
        Page.objects.child_of(site.root_page)
        .live()
        .in_menu()
        .public()
        .only("id", "title", "url_path", "path", "depth")
    )
    return [(item.title, item.get_url(request=request), item.path) for item in pages]


SHARE_IMAGE_FIELDS = ("feature_image", "cover_image", "gambar")


@register.simple_tag
def share_summary(page) -> str:
    """One paragraph describing a page for share previews and search engines."""
    from kpu_pages.kinds import summary_of

    return (page.search_description or summary_of(page) or "")[:300]


@register.simple_tag
def share_image(page):
    """The picture shown when a page is shared: its feature or cover image, if it has one."""
    for field in SHARE_IMAGE_FIELDS:
        image = getattr(page, field, None)
        if image is not None and hasattr(image, "get_rendition"):
            return image
    return None


#: the fragments a page has (templates/base.html), read together
FRAGMENT_NAMES = ("head", "main")


class PageFragmentNode(template.Node):
    def __init__(self, name: str, nodelist: template.NodeList):
        self.name = name
        self.nodelist = nodelist

    def render(self, context) -> str:
        request = context.get("request")
        page = context.get("page")
        seconds = fragment_seconds()
        if (
            seconds <= 0
            or request is None
            or not isinstance(page, Page)
            or request.method != "GET"
            or request.GET  # filters and page numbers: made-up query strings must not fill the cache
            or getattr(request, "is_preview", False)
            or request.path.startswith("/admin/")
        ):
            return self.nodelist.render(context)
        generation = request_generation(request)
        if generation is None:  # the cache cannot tell (Redis down)
            return self.nodelist.render(context)
        path = hashlib.sha256(request.path.encode()).hexdigest()[:32]
        keys = {name: f"fragment:{generation}:{name}:{page.pk}:{path}" for name in FRAGMENT_NAMES}
        found = getattr(request, "_kpu_fragments", None)
        if found is None:  # every fragment of the page in one round trip, at the first of them
            found = request._kpu_fragments = cache.get_many(list(keys.values()))
        html = found.get(keys[self.name])
        if html is None:
            html = self.nodelist.render(context)
            cache.set(keys[self.name], html, seconds)
        return html


@register.tag
def page_fragment(parser, token):
    """``{% page_fragment "name" %}...{% endpage_fragment %}``: the enclosed part of a public page, kept
    in Redis until the next public change (the page cache's generation is in the key) or for
    ``FRAGMENT_CACHE_SECONDS``. Only for what depends on the page and its path alone: never for
    URLs with a query string, previews or the admin. See kpu_site.caching.fragments.
    """
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("page_fragment takes one name")
    if bits[1].strip("\"'") not in FRAGMENT_NAMES:
        raise template.TemplateSyntaxError(f"page_fragment names are {FRAGMENT_NAMES} (read together)")
    nodelist = parser.parse(("endpage_fragment",))
    parser.delete_first_token()
    return PageFragmentNode(bits[1].strip("\"'"), nodelist)
