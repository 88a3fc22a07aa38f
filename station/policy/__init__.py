"""The return policy at work: deciding a request, checking a policy file, an admin's edits."""
