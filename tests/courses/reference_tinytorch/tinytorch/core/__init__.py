"""Module 01-13's package modules."""

