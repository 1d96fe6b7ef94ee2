"""US region of a MovieLens zip code, from the first digit of a ZIP (USPS national areas).

MovieLens 1M stores zip codes as free text: mostly five digits, some ZIP+4
("98107-2117"), a few longer numbers that are not US ZIP codes. The first digit of a
ZIP names one of ten national areas of the US Postal Service; that is coarse but exact,
needs no lookup table that could drift, and is enough to tell the West Coast (Xiao,
zip 95380) from the Northeast.
"""

from __future__ import annotations

import re

UNKNOWN_REGION = "Unknown / outside the US"

#: First ZIP digit -> national area, named after the states it covers.
ZIP_AREAS: dict[str, str] = {
    "0": "New England, NJ & PR",
    "1": "NY, PA & DE",
    "2": "DC, MD, VA, WV & Carolinas",
    "3": "Southeast (AL, FL, GA, MS, TN)",
    "4": "Great Lakes (IN, KY, MI, OH)",
    "5": "Upper Midwest & MT",
    "6": "Central (IL, KS, MO, NE)",
    "7": "South Central (AR, LA, OK, TX)",
    "8": "Mountain West",
    "9": "West Coast, AK & HI",
}

_US_ZIP = re.compile(r"^(\d)\d{4}(-\d{4})?$")


def zip_to_region(zip_code: str) -> str:
    """Map a zip code string to its national area.

    Args:
        zip_code: as written in ``users.dat``; five digits or ZIP+4 count as US ZIPs.

    Returns:
        A value of :data:`ZIP_AREAS`, or :data:`UNKNOWN_REGION` for anything else
        (longer numbers, letters, empty text). Never raises.
    """
    match = _US_ZIP.match(zip_code.strip()) if isinstance(zip_code, str) else None
    return ZIP_AREAS[match.group(1)] if match else UNKNOWN_REGION
