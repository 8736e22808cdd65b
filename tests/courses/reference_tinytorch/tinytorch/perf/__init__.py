"""Module 14-18's package modules."""

