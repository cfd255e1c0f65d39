"""What foundations do with money: funds (donations, transfers, reservations, payments, reversals),
grants that reserve and pay through a fund, and emergency-relief cases (救急难) paid from one."""
