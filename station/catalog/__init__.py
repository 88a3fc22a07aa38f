"""What the dock knows about products: categories, reason codes, resale prices and sales."""
