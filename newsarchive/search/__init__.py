"""The search stage: a lunr.js-exact index built in Python, and the files the page loads."""
