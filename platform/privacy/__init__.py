"""Personal-data guard: refuses case texts that carry identifiers of the people concerned."""
