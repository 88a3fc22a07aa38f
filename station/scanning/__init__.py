"""What a scanned text means: one classification per scan, by the scan formats file."""
