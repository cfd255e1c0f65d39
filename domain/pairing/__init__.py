"""Pairing programmes (大小牵小手, 牵手计划, urban-rural), mentor links and designations (a later issue)."""
