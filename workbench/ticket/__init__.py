"""Signed QR tickets: what the customer takes home, and what any station can verify."""
