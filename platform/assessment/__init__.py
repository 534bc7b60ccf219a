"""Self-assessment (Standortbestimmung): an authority rates the checklist's criteria twice,
"Wo stehen wir heute?" and "Welche Punkte sind für uns besonders relevant?", and is led from
the criteria with the largest need to the toolbox instruments that address them.

The pure parts live here already: the seed criteria (`criteria.json`, read by
`seed_criteria.py`), the rating scale, the need formula and the ranking of instruments
(`scoring.py`), and the server-rendered radar chart with its table equivalent (`chart.py`)."""
