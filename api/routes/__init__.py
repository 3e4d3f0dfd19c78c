"""One router per resource: service, transparency, sign-in, statements."""
