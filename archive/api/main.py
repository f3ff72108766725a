"""The ASGI application for uvicorn, configured from the environment."""

from archive.api.app import create_app
from archive.logs import configure_logging
from archive.settings import get_settings

configure_logging(get_settings())
app = create_app()
