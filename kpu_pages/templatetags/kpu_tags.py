from django import template

from wagtail.models import Page, Site

from kpu_pages.fragments import fragment

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
