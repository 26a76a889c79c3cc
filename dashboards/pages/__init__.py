"""One module per page; each exposes ``register(app)`` and is registered by ``app.create_app``."""
