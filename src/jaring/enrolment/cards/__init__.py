"""Membership cards (PDF with a QR token) and the public status check the token opens."""
