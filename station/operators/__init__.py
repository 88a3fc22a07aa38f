"""The people at the station: badge + PIN sign-in, wrong-PIN throttling, operator records."""
