"""What foundations do with money: funds (with donations, transfers, reservations, payments, reversals).

Grants and relief cases arrive in later issues and will reserve and pay through the same fund mechanism.
"""
