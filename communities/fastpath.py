"""The communities app's measured fast paths: three things each worker keeps in memory, in front of
the database, the shared cache and the URL resolver, because a cold public page has no room for what
they save.

A cold page must keep 0.15 of the /healthz baseline's requests/s; `make bench` measured 0.153-0.237.
Figures are in-process on the small bench seed, by `python bench/fastpaths.py` (the lowest of 15
interleaved rounds; /healthz took 0.23 ms and the cold province feed 2.3 ms in the same session).

- `regions()` replaces reading `Province` and `Regency` on every public page (the regency in every
  card, the search form's kabupaten/kota, a regency page's slug): 0 queries instead of 2, and
  ~0.001 against 1.28-1.30 ms. Kept for a minute; reference data changes only through `regions_load`,
  which calls `regions_forget()` (other workers see the change within the minute).
- `local_community` / `keep_local_community` (the `_local` dict) replace a round trip to the shared
  `hosts` cache on every request to a community's host: 0.012 against 0.085-0.089 ms with Redis on
  loopback (218 us against 12 us when it was made, ~8 % of a cold community home: commit 184231b).
  A copy lives 5 s, so a change reaches every worker within 5 s (cached pages carry their version
  meanwhile: feed/cache.py); unknown hosts are never kept, so a new community is served at once.
- `site_links()` (the `_site_links` dict) replaces reversing the links every page's header and
  footer show (home, sign-in and -out, directory, search, moderation, about, gallery, languages):
  they depend only on the host's URLconf, and reversing them on each page cost 6-9 `reverse()`
  calls of ~10-14 us each: 0.001 against 0.10 ms for all of them, ~4 % of a ~2.5 ms cold page
  (the cold pages' worst ratio was 0.153 against a target of 0.15). Links with arguments (a
  post's tags, a feed's own URL) are reversed per page, as Django does.

Everything else in communities reads through the ORM (selectors.py) and Django's cache framework.
"""

import pickle
import time
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import NoReverseMatch, get_urlconf, reverse

from kimportal.hosts import main_url_for

from .models import Province, Regency

if TYPE_CHECKING:
    from .models import Community

# --- reference data: provinces and regencies ---------------------------------------------------


@dataclass(frozen=True)
class Regions:
    provinces_by_code: dict[str, Province]
    provinces_by_slug: dict[str, Province]
    regencies_by_slug: dict[str, Regency]
    regencies_by_id: dict[int, Regency]


_REGIONS_SECONDS = 60
_regions: tuple[float, Regions] | None = None


def regions() -> Regions:
    """Provinces and regencies (reference data, a few hundred rows), kept in each process for a minute
    so public pages do not query them on every request. A kabupaten/kota added since comes from the
    database (selectors.regency_by_id); `regions_forget` drops this process's copy."""
    global _regions
    if _regions is None or time.monotonic() - _regions[0] > _REGIONS_SECONDS:
        provinces = list(Province.objects.all())
        regencies = list(Regency.objects.select_related("province"))
        _regions = (
            time.monotonic(),
            Regions(
                provinces_by_code={p.code: p for p in provinces},
                provinces_by_slug={p.slug: p for p in provinces},
                regencies_by_slug={r.slug: r for r in regencies},
                regencies_by_id={r.pk: r for r in regencies},
            ),
        )
    return _regions[1]


def regions_forget() -> None:
    global _regions
    _regions = None


# --- each worker's copies of the communities it served in the last seconds ------------------------

LOCAL_SECONDS = 5
_LOCAL_MAX = 1000  # hosts per worker; past that it starts again empty
_local: dict[str, tuple[float, bytes]] = {}  # host -> (until, the community pickled)


def _clock() -> float:
    return time.monotonic()


def local_community(hostname: str) -> "Community | None":
    """A new copy of the community this worker served on the host in the last LOCAL_SECONDS (its
    kabupaten/kota and province too, unpickled, ~12 us): a request may change its community (a form
    validating an edit), and that must not reach the next request's."""
    kept = _local.get(hostname)
    if kept is not None and kept[0] > _clock():
        return pickle.loads(kept[1])
    return None


def keep_local_community(hostname: str, community: "Community") -> None:
    if len(_local) >= _LOCAL_MAX:
        _local.clear()
    _local[hostname] = (_clock() + LOCAL_SECONDS, pickle.dumps(community, pickle.HIGHEST_PROTOCOL))


def forget_local_community(hostname: str | None = None) -> None:
    """Drop this worker's copy of a host's community, or of every host's."""
    if hostname is None:
        _local.clear()
    else:
        _local.pop(hostname, None)


# --- the links of every page's header and footer ---------------------------------------------------

_MAIN_SITE_LINKS = {  # on the main domain, whatever the host
    "login": "accounts:login",
    "logout": "accounts:logout",
    "directory": "directory",
    "search": "search",
    "moderation": "moderation:queue",
    "register": "registration:register",
}
_OWN_SITE_LINKS = ("home", "about", "gallery")  # on the request's host, where its URLconf has them
_site_links: dict[str | None, dict] = {}


def site_links() -> dict:
    """The header's and footer's links for the request's kind of host, reversed once per process:
    names as in _MAIN_SITE_LINKS and _OWN_SITE_LINKS, and `languages`, (code, name, switch URL)."""
    urlconf = get_urlconf()
    links = _site_links.get(urlconf)
    if links is None:
        links = {name: main_url_for(viewname) for name, viewname in _MAIN_SITE_LINKS.items()}
        for name in _OWN_SITE_LINKS:
            with suppress(NoReverseMatch):  # the main domain has no about or gallery page
                links[name] = reverse(name)
        links["languages"] = [
            (code, name, reverse("language", kwargs={"code": code})) for code, name in settings.LANGUAGES
        ]
        _site_links[urlconf] = links
    return links
