"""The content model, at the bottom of the house: the metadata header, field types and schema of
each content kind, event vocabularies, regions, the incident table and its record, publication rules.
Imports nothing of the project above it and nothing of Pelican."""
