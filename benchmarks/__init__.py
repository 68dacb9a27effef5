"""Measurements of the running app, and the server/browser helpers the end-to-end tests share."""
