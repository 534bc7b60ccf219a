"""Events (Veranstaltungen): trainings, network meetings, site visits and online events.

`times` shows and reads event times in Europe/Berlin; `calendar` writes them as
iCalendar (RFC 5545) for a single event and for a personal subscription feed."""
