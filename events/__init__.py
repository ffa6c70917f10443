"""Events from Arabic news: read articles, extract dated and located events, store them (python -m events)."""
