"""Receiving: parcel look-up, item checks, matching, reprints and unknown parcels."""
