"""Cover outside Jaring (self-paid, wage earner, another payer), imported from branch lists.

Eligibility holds back a worker who is covered here (`selectors.overlapping_cover`).
"""
