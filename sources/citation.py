"""How to cite an article of the Archive: outlet, title, date, permanent address, access date."""

from dataclasses import dataclass

from .formatting import date_with_precision, long_date


@dataclass(frozen=True)
class Citation:
    outlet: str
    title: str
    date: str
    url: str
    accessed: str

    @property
    def text(self):
        parts = []
        if self.outlet:
            parts.append(f"{self.outlet}.")
        parts.append(f"“{self.title}.”")
        parts.append(f"{self.date}.")
        parts.append(f"{self.url}.")
        parts.append(f"Accessed {self.accessed}.")
        return " ".join(parts)

    def __str__(self):
        return self.text


def citation_for(source, request, accessed):
    """The citation of `source`; the address is absolute and uses the current slug."""
    return Citation(
        outlet=source.outlet,
        title=source.title.rstrip("."),
        date=date_with_precision(source),
        url=request.build_absolute_uri(source.get_absolute_url()),
        accessed=long_date(accessed),
    )
