"""Return to vendor: batches, claims, their events, views and the vendor scorecard."""
