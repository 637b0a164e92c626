"""Idea challenge pages: ``public`` for everyone, ``staff`` for the people who run a challenge."""
