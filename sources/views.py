from django.shortcuts import get_object_or_404, render

from .models import Source


def source_detail(request, slug):
    source = get_object_or_404(Source.objects.published(), slug=slug)
    return render(request, "sources/detail.html", {"source": source})
