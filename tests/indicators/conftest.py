"""Indicators watching for cocaine in air passengers' baggage, and records to check."""

from ..factories import code


def criteria(**overrides) -> dict:
    """Cocaine carried by air passengers: what the default make_seizure records."""
    values = {
        "commodity": code("commodity", "cocaine").pk,
        "transport_mode": code("transport_mode", "air_passenger").pk,
    }
    return {**values, **overrides}


def make_indicator(*, by, recipients=None, name="Cocaine by air passengers", **values):
    from indicators import services

    return services.indicator_create(
        by=by,
        name=name,
        rationale=values.pop("rationale", "Couriers from South America through Sydney."),
        criteria=values.pop("criteria", criteria()),
        recipients=recipients or [by],
    )
