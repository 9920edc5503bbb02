"""Jaring: social-security protection for vulnerable informal workers."""
