"""The benchmark's parts, shared by the two entry scripts `generate.py` and `run.py`.

Everything taken from the platform's own code is imported in `project.py` alone."""
