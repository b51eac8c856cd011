"""Published figures we reconcile with (quoted, not computed)."""

CITY_PLAN_UNCONNECTED = 172_000
CITY_PLAN_SOURCE = (
    'City of Chicago, Digital Equity Plan: "about 172,000 households" without an Internet subscription, '
    "citing ACS 2017-2021 5-year estimates."
)
