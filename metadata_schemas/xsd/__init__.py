"""Schema files (XSD) shipped as package data; a package only so that wheels include them."""
