from django.conf import settings


def identity(request):
    """The commission's name and contact details, for the header and footer of every page."""
    return {"kpu": settings.KPU_IDENTITY}
