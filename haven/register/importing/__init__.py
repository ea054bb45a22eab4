"""Importing the register from a housing management system's CSV or Excel files.

``reading`` turns a file into rows of text, ``layouts`` says which columns each kind of file has
and cleans a row into values, ``apply`` writes clean rows in one transaction. The services in
``haven.register.services`` tie them together and record the import.
"""
