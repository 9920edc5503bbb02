"""The regulation as pure Python: no Django import here.

Formulas are functions; every figure lives in a data file under `rules/data/` with the
regulation it comes from and the date it takes effect.
"""
