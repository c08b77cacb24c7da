"""The tags stage: the people, places, organisations and topics each article names."""
