from django import template

from wagtail.models import Page, Site

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The header navigation: live children of the site root marked "tampilkan di menu"."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    root = site.root_page
    current = context.get("page")
    items = []
    pages = (
        Page.objects.child_of(root).live().in_menu().public().only("id", "title", "url_path", "path", "depth")
    )
    for item in pages:
        active = bool(current and isinstance(current, Page) and current.path.startswith(item.path))
        items.append({"title": item.title, "url": item.get_url(request=request), "active": active})
    return items
