"""ICS Atlas: turn the curated data in data/ into a static site."""
