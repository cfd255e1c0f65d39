"""The ways in: the FastAPI app, its settings and the `mingzhang` command line. Only this package
imports FastAPI or pydantic."""
