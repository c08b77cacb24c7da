"""The editing loop: ``serve`` builds, serves, watches, rebuilds and reloads the browser."""
