"""Pairing programmes (大小牵小手, 牵手计划, urban-rural), mentor links (带教) and yearly designations
(带头人, 观察点)."""
